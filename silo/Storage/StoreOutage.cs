using System.Net.Sockets;
using Npgsql;

namespace CityTwin.Silo.Storage;

/// <summary>
/// Tells a store that cannot be reached (PostgreSQL stopped, restarting, refusing connections, or the connection lost)
/// from a store that answered with an error: the first is a passing state, answered 503 + Retry-After, the second is not.
/// </summary>
public static class StoreOutage
{
    /// <summary>True when <paramref name="error"/>, or an exception it wraps, says the database could not be reached.</summary>
    public static bool Is(Exception? error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // The server answered: only its "not now" states are an outage (connection failures 08xxx, shutting down
                // or starting 57P01-57P03, too many connections 53300).
                case PostgresException p:
                    return p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState is "57P01" or "57P02" or "57P03" or "53300";

                // Npgsql's own: the connection could not be opened, broke, or timed out.
                case NpgsqlException:
                case SocketException:
                    return true;
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    return Is(aggregate.InnerExceptions[0]);
            }
        }

        return false;
    }
}
