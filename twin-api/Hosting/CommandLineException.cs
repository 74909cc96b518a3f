namespace CityTwin.TwinApi.Hosting;

/// <summary>Bad command-line or configuration input: the CLI prints the message and exits non-zero.</summary>
public sealed class CommandLineException(string message) : Exception(message);
