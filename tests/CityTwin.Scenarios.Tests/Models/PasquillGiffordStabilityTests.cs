using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Tests.Models;

// Source: Turner, D. B. (1970) Workbook of Atmospheric Dispersion Estimates, Table 1 "Key to stability
// categories" (reproduced in Seinfeld and Pandis, Atmospheric Chemistry and Physics, Table 18.3).
public sealed class PasquillGiffordStabilityTests
{
    [Theory]
    [InlineData(1.5, Insolation.Strong, StabilityClass.A)]
    [InlineData(1.5, Insolation.Moderate, StabilityClass.B)] // A-B, resolved to the more stable B
    [InlineData(1.5, Insolation.Slight, StabilityClass.B)]
    [InlineData(2.5, Insolation.Strong, StabilityClass.B)] // A-B
    [InlineData(2.5, Insolation.Moderate, StabilityClass.B)]
    [InlineData(2.5, Insolation.Slight, StabilityClass.C)]
    [InlineData(4.0, Insolation.Strong, StabilityClass.B)]
    [InlineData(4.0, Insolation.Moderate, StabilityClass.C)] // B-C
    [InlineData(4.0, Insolation.Slight, StabilityClass.C)]
    [InlineData(5.5, Insolation.Strong, StabilityClass.C)]
    [InlineData(5.5, Insolation.Moderate, StabilityClass.D)] // C-D
    [InlineData(5.5, Insolation.Slight, StabilityClass.D)]
    [InlineData(8.0, Insolation.Strong, StabilityClass.C)]
    [InlineData(8.0, Insolation.Moderate, StabilityClass.D)]
    [InlineData(8.0, Insolation.Slight, StabilityClass.D)]
    public void Daytime_follows_Turners_table(double wind, Insolation insolation, StabilityClass expected)
    {
        Assert.Equal(expected, PasquillGiffordStability.Daytime(wind, insolation));
    }

    [Theory]
    [InlineData(2.5, 5, StabilityClass.E)] // thinly overcast or >= 4/8 low cloud
    [InlineData(2.5, 2, StabilityClass.F)] // <= 3/8 cloud
    [InlineData(4.0, 4, StabilityClass.D)]
    [InlineData(4.0, 3, StabilityClass.E)]
    [InlineData(5.5, 0, StabilityClass.D)]
    [InlineData(10.0, 1, StabilityClass.D)]
    [InlineData(1.0, 0, StabilityClass.F)] // blank in Pasquill's table; NOAA READY practice
    [InlineData(1.0, 8, StabilityClass.D)] // overcast is neutral day or night
    public void Nighttime_follows_Turners_table(double wind, int oktas, StabilityClass expected)
    {
        Assert.Equal(expected, PasquillGiffordStability.Nighttime(wind, oktas));
    }

    [Fact]
    public void Band_boundaries_belong_to_the_faster_band()
    {
        Assert.Equal(StabilityClass.B, PasquillGiffordStability.Daytime(2.0, Insolation.Strong));
        Assert.Equal(StabilityClass.C, PasquillGiffordStability.Daytime(6.0, Insolation.Strong));
    }

    [Fact]
    public void Parses_letters_and_rejects_others()
    {
        Assert.True(PasquillGiffordStability.TryParse("b", out StabilityClass b));
        Assert.Equal(StabilityClass.B, b);
        Assert.False(PasquillGiffordStability.TryParse("G", out _));
        Assert.False(PasquillGiffordStability.TryParse("AB", out _));
        Assert.False(PasquillGiffordStability.TryParse(null, out _));
    }

    [Fact]
    public void Rejects_negative_wind_and_bad_cloud_cover()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PasquillGiffordStability.Daytime(-1, Insolation.Strong));
        Assert.Throws<ArgumentOutOfRangeException>(() => PasquillGiffordStability.Nighttime(3, 9));
    }
}
