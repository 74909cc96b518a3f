namespace CityTwin.Scenarios.District;

/// <summary>A district file could not be read: malformed JSON, a missing or mistyped field, or inconsistent data.</summary>
public sealed class DistrictFileException : Exception
{
    /// <summary>Creates an exception without details.</summary>
    public DistrictFileException()
    {
    }

    /// <summary>Creates an exception with a message naming the problem.</summary>
    public DistrictFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message naming the problem and its cause.</summary>
    public DistrictFileException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
