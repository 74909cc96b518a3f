using CityTwin.Silo.Storage;

namespace CityTwin.TwinApi.Hosting;

/// <summary>Reads the store settings (section "Store": Kind, ConnectionString) with clear errors for bad values.</summary>
public static class StoreConfiguration
{
    /// <summary>Builds store options from configuration; SQLite under ./data by default.</summary>
    public static StoreOptions Read(IConfiguration configuration)
    {
        string kindText = configuration["Store:Kind"] ?? "sqlite";
        if (!Enum.TryParse(kindText, ignoreCase: true, out StoreKind kind) || !Enum.IsDefined(kind))
        {
            throw new CommandLineException($"Unknown store '{kindText}': use memory, sqlite or postgres.");
        }

        string? connection = configuration["Store:ConnectionString"];
        if (kind == StoreKind.Postgres && string.IsNullOrWhiteSpace(connection))
        {
            throw new CommandLineException("The postgres store needs a connection string: --connection \"Host=...;Username=...;Database=...\" (or Store__ConnectionString).");
        }

        return new StoreOptions { Kind = kind, ConnectionString = string.IsNullOrWhiteSpace(connection) ? null : connection };
    }
}
