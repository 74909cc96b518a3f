using System.Text;
using System.Text.RegularExpressions;
using CityTwin.Scenarios.District;
using Model = CityTwin.Scenarios.District;

namespace CityTwin.Scenarios.Tests.District;

public sealed partial class DistrictFileTests : IDisposable
{
    private static readonly DistrictOptions SmallOptions = new() { Seed = 77, Buildings = 150, SizeKm = 2, CommunitiesPerStreet = 2, GridsPerCommunity = 3 };
    private readonly string _directory = Directory.CreateTempSubdirectory("citytwin-district-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Round_trip_through_a_file_preserves_every_byte()
    {
        Model.District district = DistrictGenerator.Generate(SmallOptions);
        string path = Path.Combine(_directory, "district.json");
        string asyncPath = Path.Combine(_directory, "district-async.json");

        DistrictFile.Write(district, path);
        await DistrictFile.WriteAsync(district, asyncPath);
        Model.District back = DistrictFile.Read(path);
        Model.District backAsync = await DistrictFile.ReadAsync(asyncPath);

        byte[] original = await File.ReadAllBytesAsync(path);
        Assert.Equal(original, await File.ReadAllBytesAsync(asyncPath));
        Assert.Equal(original, Serialise(back));
        Assert.Equal(original, Serialise(backAsync));
        Assert.Equal(district.Buildings[3].Footprint, back.Buildings[3].Footprint);
        Assert.Equal(district.Sensors, back.Sensors);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void File_is_utf8_camel_case_with_readable_chinese_names()
    {
        string path = Path.Combine(_directory, "district.json");
        DistrictFile.Write(DistrictGenerator.Generate(SmallOptions), path);

        string json = File.ReadAllText(path, Encoding.UTF8);

        Assert.StartsWith("""{"formatVersion":1,"name":""", json);
        Assert.Contains("\"use\":\"residential\"", json);
        Assert.Contains("\"kind\":\"carbonMonoxide\"", json);
        Assert.Contains("网格", json);
        Assert.DoesNotContain("\\u", json);
    }

    [Fact]
    public void Truncated_file_names_the_file_and_position()
    {
        string json = Json();
        string path = WriteText(json[..(json.Length / 2)]);

        DistrictFileException error = Assert.Throws<DistrictFileException>(() => DistrictFile.Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("malformed", error.Message);
        Assert.Matches(LinePosition(), error.Message);
    }

    [Fact]
    public void Wrongly_typed_field_names_its_json_path()
    {
        string path = WriteText(ReplaceFirst(Json(), "\"floors\":", "\"floors\":\"many\",\"x\":"));

        DistrictFileException error = Assert.Throws<DistrictFileException>(() => DistrictFile.Read(path));

        Assert.Contains("$.buildings[0].floors", error.Message);
    }

    [Fact]
    public void Missing_required_field_is_named()
    {
        string path = WriteText(ReplaceFirst(Json(), "\"cells\":", "\"cellsRenamed\":"));

        DistrictFileException error = Assert.Throws<DistrictFileException>(() => DistrictFile.Read(path));

        Assert.Contains("cells", error.Message);
    }

    [Fact]
    public void Null_where_a_value_is_required_is_rejected()
    {
        string path = WriteText(ReplaceFirst(Json(), "\"gridId\":\"grid-", "\"gridId\":null,\"x\":\"grid-"));

        DistrictFileException error = Assert.Throws<DistrictFileException>(() => DistrictFile.Read(path));

        Assert.Contains("gridId", error.Message);
    }

    [Fact]
    public void Position_in_the_wrong_shape_is_rejected()
    {
        string path = WriteText(ReplaceFirst(Json(), "\"centre\":[", "\"centre\":{\"lon\":1,\"lat\":2},\"x\":["));

        DistrictFileException error = Assert.Throws<DistrictFileException>(() => DistrictFile.Read(path));

        Assert.Contains("[lon, lat]", error.Message);
    }

    [Fact]
    public void Inconsistent_data_is_reported_as_such()
    {
        Model.District district = DistrictGenerator.Generate(SmallOptions);
        Model.District broken = district with
        {
            Buildings = [district.Buildings[0] with { SensorCount = district.Sensors.Length + 1 }, .. district.Buildings[1..]],
        };
        using var stream = new MemoryStream();
        DistrictFile.Write(broken, stream);
        stream.Position = 0;

        DistrictFileException error = Assert.Throws<DistrictFileException>(() => DistrictFile.Read(stream, "broken.json"));

        Assert.Contains("broken.json", error.Message);
        Assert.Contains("inconsistent", error.Message);
        Assert.Contains("building 0", error.Message);
    }

    [Fact]
    public void Unsupported_version_missing_file_and_null_document_are_explained()
    {
        string newer = WriteText(ReplaceFirst(Json(), "\"formatVersion\":1", "\"formatVersion\":99"));
        Assert.Contains("formatVersion is 99", Assert.Throws<DistrictFileException>(() => DistrictFile.Read(newer)).Message);

        string missing = Path.Combine(_directory, "nope.json");
        Assert.Contains("does not exist", Assert.Throws<DistrictFileException>(() => DistrictFile.Read(missing)).Message);

        string nullFile = WriteText("null");
        Assert.Contains("null", Assert.Throws<DistrictFileException>(() => DistrictFile.Read(nullFile)).Message);
    }

    [GeneratedRegex(@"line \d+, byte \d+")]
    private static partial Regex LinePosition();

    private static string Json() => Encoding.UTF8.GetString(Serialise(DistrictGenerator.Generate(SmallOptions)));

    private static string ReplaceFirst(string text, string find, string replacement)
    {
        int at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{find}' not found");
        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + find.Length));
    }

    private string WriteText(string text)
    {
        string path = Path.Combine(_directory, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private static byte[] Serialise(Model.District district)
    {
        using var stream = new MemoryStream();
        DistrictFile.Write(district, stream);
        return stream.ToArray();
    }
}
