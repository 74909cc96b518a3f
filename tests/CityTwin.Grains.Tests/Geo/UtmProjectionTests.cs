using System.Diagnostics;
using System.Globalization;
using CityTwin.Grains.Geo;
using NetTopologySuite.Geometries;

namespace CityTwin.Grains.Tests.Geo;

public class UtmProjectionTests
{
    private const double Tolerance = 1e-3;

    /// <summary>
    /// Expected values come from PROJ 9.1.1, one command per row, e.g.
    /// <c>echo 104.0657 30.6595 | cs2cs -r -d 6 EPSG:4326 EPSG:32648</c>
    /// (<c>-r</c> because EPSG:4326 is lat/lon order and the input is lon lat).
    /// </summary>
    public static TheoryData<double, double, int, bool, double, double> Cs2csPoints => new()
    {
        // Central Chengdu, the demo district centre.
        { 104.0657, 30.6595, 48, true, 410488.792181, 3392239.152873 },

        // North-west corner of the 5 km demo district.
        { 104.0393854, 30.6818658, 48, true, 407988.793421, 3394739.149222 },

        // Near both edges of zone 48, where the projection is least accurate.
        { 102.0001, 29.5, 48, true, 209158.264679, 3267134.875132 },
        { 107.9999, 31.2, 48, true, 785850.131430, 3455646.052556 },

        // Southern hemisphere (EPSG:32756, Sydney), Paris (EPSG:32631) and New York (EPSG:32618).
        { 151.2093, -33.8688, 56, false, 334368.633648, 6250948.345385 },
        { 2.3522, 48.8566, 31, true, 452482.532703, 5411717.176869 },
        { -74.0060, 40.7128, 18, true, 583959.372324, 4507350.998243 },
    };

    [Theory]
    [MemberData(nameof(Cs2csPoints))]
    public void Forward_matches_cs2cs(double lon, double lat, int zone, bool north, double easting, double northing)
    {
        var utm = UtmProjection.ForCentre(new GeoPoint(lon, lat));
        Assert.Equal(zone, utm.Zone);
        Assert.Equal(north, utm.IsNorth);

        ProjectedPoint p = utm.Forward(new GeoPoint(lon, lat));

        Assert.Equal(easting, p.X, Tolerance);
        Assert.Equal(northing, p.Y, Tolerance);
    }

    [Theory]
    [MemberData(nameof(Cs2csPoints))]
    public void Inverse_returns_the_cs2cs_input(double lon, double lat, int zone, bool north, double easting, double northing)
    {
        var utm = new UtmProjection(zone, north);

        GeoPoint g = utm.Inverse(new ProjectedPoint(easting, northing));

        // 1e-8 degrees is about 1 mm.
        Assert.Equal(lon, g.Lon, 1e-8);
        Assert.Equal(lat, g.Lat, 1e-8);
    }

    [Fact]
    public void Round_trip_of_many_points_stays_within_a_millimetre()
    {
        var utm = new UtmProjection(48, true);
        var random = new Random(7);
        var points = new GeoPoint[10_000];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = new GeoPoint(102 + (random.NextDouble() * 6), 20 + (random.NextDouble() * 20));
        }

        var projected = new ProjectedPoint[points.Length];
        var back = new GeoPoint[points.Length];
        utm.Forward(points, projected);
        utm.Inverse(projected, back);

        for (int i = 0; i < points.Length; i++)
        {
            Assert.Equal(utm.Forward(points[i]), projected[i]);
            Assert.Equal(points[i].Lon, back[i].Lon, 1e-8);
            Assert.Equal(points[i].Lat, back[i].Lat, 1e-8);
        }
    }

    [Theory]
    [InlineData(-180, 1)]
    [InlineData(-177.0001, 1)]
    [InlineData(-174, 2)]
    [InlineData(0, 31)]
    [InlineData(104.0657, 48)]
    [InlineData(108, 49)]
    [InlineData(180, 60)]
    public void Zone_follows_six_degree_bands(double lon, int zone) => Assert.Equal(zone, UtmProjection.ZoneOf(lon));

    [Fact]
    public void Srid_names_the_epsg_code()
    {
        Assert.Equal(32648, new UtmProjection(48, true).Srid);
        Assert.Equal(32756, new UtmProjection(56, false).Srid);
    }

    [Fact]
    public void Distance_of_one_kilometre_east_is_a_kilometre()
    {
        var utm = new UtmProjection(48, true);
        ProjectedPoint a = utm.Forward(new GeoPoint(104.0657, 30.6595));
        GeoPoint b = utm.Inverse(new ProjectedPoint(a.X + 1000, a.Y));

        Assert.Equal(1000, utm.DistanceMetres(new GeoPoint(104.0657, 30.6595), b), 1e-6);
    }

    [Fact]
    public void Geometry_round_trip_keeps_coordinates_and_sets_srid()
    {
        var utm = new UtmProjection(48, true);
        Polygon polygon = GeoGeometry.ToPolygon([new(104.06, 30.65), new(104.07, 30.65), new(104.07, 30.66), new(104.06, 30.66)]);

        Geometry projected = utm.Forward(polygon);
        Geometry back = utm.Inverse(projected);

        Assert.Equal(32648, projected.SRID);
        Assert.Equal(4326, back.SRID);
        Assert.Equal(utm.Forward(new GeoPoint(104.07, 30.66)).X, projected.Coordinates[2].X, 1e-9);
        Assert.True(back.EqualsExact(polygon, 1e-9));
        Assert.Equal(104.06, polygon.Coordinates[0].X);
    }

    [Fact]
    public async Task Concurrent_callers_get_the_same_answers_as_one_caller()
    {
        var utm = new UtmProjection(48, true);
        var points = Enumerable.Range(0, 2_000).Select(i => new GeoPoint(103 + (i * 0.001), 30 + (i * 0.0005))).ToArray();
        ProjectedPoint[] expected = points.Select(utm.Forward).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int round = 0; round < 5; round++)
            {
                for (int i = 0; i < points.Length; i++)
                {
                    Assert.Equal(expected[i], utm.Forward(points[i]));
                }
            }
        })));
    }

    [Fact]
    public async Task Forward_agrees_with_a_live_cs2cs_on_random_points()
    {
        // cs2cs comes from Debian's proj-bin, which ./test.sh installs; a missing tool is a broken environment,
        // not a reason to skip the independent check.
        const string cs2cs = "/usr/bin/cs2cs";
        Assert.True(File.Exists(cs2cs), "cs2cs (PROJ, Debian package proj-bin) is not installed: run ./test.sh, which installs it.");

        var utm = new UtmProjection(48, true);
        var random = new Random(11);
        GeoPoint[] points = Enumerable.Range(0, 500)
            .Select(_ => new GeoPoint(102.5 + (random.NextDouble() * 5), 25 + (random.NextDouble() * 10)))
            .ToArray();

        string[] lines = await RunCs2csAsync(cs2cs, points);

        Assert.Equal(points.Length, lines.Length);
        for (int i = 0; i < points.Length; i++)
        {
            string[] parts = lines[i].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            ProjectedPoint p = utm.Forward(points[i]);
            Assert.Equal(double.Parse(parts[0], CultureInfo.InvariantCulture), p.X, Tolerance);
            Assert.Equal(double.Parse(parts[1], CultureInfo.InvariantCulture), p.Y, Tolerance);
        }
    }

    private static async Task<string[]> RunCs2csAsync(string cs2cs, GeoPoint[] points)
    {
        var start = new ProcessStartInfo(cs2cs)
        {
            ArgumentList = { "-r", "-d", "6", "EPSG:4326", "EPSG:32648" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cs2cs did not start.");
        try
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> errors = process.StandardError.ReadToEndAsync();
            foreach (GeoPoint p in points)
            {
                await process.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{p.Lon:R} {p.Lat:R}"));
            }

            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            string error = await errors;
            Assert.True(process.ExitCode == 0, $"cs2cs failed: {error}");
            return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
