using System.Security.Cryptography;

namespace CityTwin.Grains.Cases;

/// <summary>Makes case ids: the report day and 40 random bits ("case-20260522-3f9a0c12de"), readable on a phone call.</summary>
public static class CaseIds
{
    /// <summary>A new case id for a case reported at <paramref name="now"/>.</summary>
    public static string New(DateTimeOffset now) =>
        $"case-{now.UtcDateTime:yyyyMMdd}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";
}
