using System.Net;
using System.Text;
using System.Text.Json;
using CityTwin.TwinApi.Api;

namespace CityTwin.TwinApi.Tests;

// The model endpoints as the server maps them (production wiring, a viewer's key), so a missing registration fails here.
public sealed class ModelEndpointsTests(TwinServerFixture server) : IClassFixture<TwinServerFixture>
{
    [Fact]
    public async Task Gaussian_plume_answers_the_worked_ISC3_case()
    {
        const string body = """{"sourceRateGps":0.37,"sourceHeightM":40,"windSpeedMps":2,"stability":"B","dispersion":"pasquill-gifford","receptors":[{"downwindM":280,"crosswindM":0,"heightM":0}]}""";
        using HttpResponseMessage response = await PostAsync("/api/models/gaussian-plume", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement receptor = json.RootElement.GetProperty("receptors")[0];
        Assert.Equal(280, receptor.GetProperty("downwindM").GetDouble());
        Assert.Equal(0, receptor.GetProperty("crosswindM").GetDouble());
        Assert.Equal(0, receptor.GetProperty("heightM").GetDouble());
        Assert.Equal(49.046, receptor.GetProperty("sigmaYM").GetDouble(), 0.001);
        Assert.Equal(28.167, receptor.GetProperty("sigmaZM").GetDouble(), 0.001);
        Assert.Equal(1.5551e-5, receptor.GetProperty("concentrationGpm3").GetDouble(), 1e-9);
    }

    [Fact]
    public async Task Gaussian_plume_defaults_to_pasquill_gifford_and_supports_briggs()
    {
        const string withoutScheme = """{"sourceRateGps":1,"sourceHeightM":10,"windSpeedMps":3,"stability":"d","receptors":[{"downwindM":1000},{"downwindM":-50}]}""";
        using JsonDocument pg = await PostOkAsync("/api/models/gaussian-plume", withoutScheme);
        JsonElement first = pg.RootElement.GetProperty("receptors")[0];
        Assert.Equal(68.13, first.GetProperty("sigmaYM").GetDouble(), 0.01); // Turner's class D chart at 1 km: ~68 m
        JsonElement upwind = pg.RootElement.GetProperty("receptors")[1];
        Assert.Equal(0, upwind.GetProperty("concentrationGpm3").GetDouble());

        const string briggs = """{"sourceRateGps":1,"sourceHeightM":10,"windSpeedMps":3,"stability":"D","dispersion":"briggs-rural","receptors":[{"downwindM":1000}]}""";
        using JsonDocument rural = await PostOkAsync("/api/models/gaussian-plume", briggs);
        // Briggs open country, class D: 0.08x(1+0.0001x)^-1/2 = 76.28 m at 1 km.
        Assert.Equal(76.28, rural.RootElement.GetProperty("receptors")[0].GetProperty("sigmaYM").GetDouble(), 0.01);
    }

    // TR-55: S = 25400/84 - 254 = 48.381 mm, Ia = 9.676 mm, Q = (50 - 9.676)^2 / (50 - 9.676 + 48.381) = 18.33 mm.
    [Fact]
    public async Task Scs_runoff_answers_the_curve_number_equations()
    {
        using JsonDocument json = await PostOkAsync("/api/models/scs-runoff", """{"rainfallMm":50,"curveNumber":84}""");
        Assert.Equal(48.381, json.RootElement.GetProperty("retentionMm").GetDouble(), 0.001);
        Assert.Equal(9.676, json.RootElement.GetProperty("initialAbstractionMm").GetDouble(), 0.001);
        Assert.Equal(18.33, json.RootElement.GetProperty("runoffMm").GetDouble(), 0.01);
    }

    [Theory]
    [InlineData("""{"sourceRateGps":-1,"sourceHeightM":40,"windSpeedMps":2,"stability":"B","receptors":[{"downwindM":280}]}""", "sourceRateGps")]
    [InlineData("""{"sourceRateGps":1,"sourceHeightM":40,"windSpeedMps":2,"stability":"G","receptors":[{"downwindM":280}]}""", "stability")]
    [InlineData("""{"sourceRateGps":1,"sourceHeightM":40,"windSpeedMps":2,"stability":"B","dispersion":"gauss","receptors":[{"downwindM":280}]}""", "dispersion")]
    [InlineData("""{"sourceRateGps":1,"sourceHeightM":40,"windSpeedMps":0,"stability":"B","receptors":[{"downwindM":280}]}""", "windSpeedMps")]
    [InlineData("""{"sourceRateGps":"NaN","sourceHeightM":40,"windSpeedMps":2,"stability":"B","receptors":[{"downwindM":280}]}""", "sourceRateGps")]
    [InlineData("""{"sourceRateGps":1,"sourceHeightM":40,"windSpeedMps":2,"stability":"B"}""", "receptors")]
    [InlineData("""{"sourceRateGps":1,"sourceHeightM":40,"windSpeedMps":2,"stability":"B","receptors":[]}""", "receptors")]
    [InlineData("""{"sourceRateGps":1,"sourceHeightM":40,"windSpeedMps":2,"stability":"B","receptors":[{"downwindM":"Infinity"}]}""", "receptors[0].downwindM")]
    [InlineData("""{"sourceRateGps":1,"sourceHeightM":40,"windSpeedMps":2,"stability":"B","receptors":[{"downwindM":10},{"crosswindM":5}]}""", "receptors[1].downwindM")]
    [InlineData("""{"sourceRateGps":1,"sourceHeightM":40,"windSpeedMps":2,"stability":"B","receptors":[{"downwindM":10,"heightM":-2}]}""", "receptors[0].heightM")]
    [InlineData("""{"sourceRateGps":1,"sourceHeightM":40,"windSpeedMps":2,"stability":7,"receptors":[{"downwindM":10}]}""", "stability")]
    [InlineData("""{"sourceHeightM":40,"windSpeedMps":2,"stability":"B","receptors":[{"downwindM":10}]}""", "sourceRateGps")]
    public async Task Gaussian_plume_rejects_bad_input_naming_the_field(string body, string field)
    {
        await AssertValidationProblemAsync("/api/models/gaussian-plume", body, field);
    }

    [Fact]
    public async Task Gaussian_plume_rejects_more_than_10000_receptors()
    {
        var builder = new StringBuilder("""{"sourceRateGps":1,"sourceHeightM":40,"windSpeedMps":2,"stability":"B","receptors":[""");
        for (int i = 0; i <= ModelEndpoints.MaxReceptors; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",").Append("""{"downwindM":100}""");
        }

        builder.Append("]}");
        await AssertValidationProblemAsync("/api/models/gaussian-plume", builder.ToString(), "receptors");
    }

    [Theory]
    [InlineData("""{"rainfallMm":50,"curveNumber":0}""", "curveNumber")]
    [InlineData("""{"rainfallMm":50,"curveNumber":100.5}""", "curveNumber")]
    [InlineData("""{"rainfallMm":-1,"curveNumber":80}""", "rainfallMm")]
    [InlineData("""{"rainfallMm":"NaN","curveNumber":80}""", "rainfallMm")]
    [InlineData("""{"curveNumber":80}""", "rainfallMm")]
    public async Task Scs_runoff_rejects_bad_input_naming_the_field(string body, string field)
    {
        await AssertValidationProblemAsync("/api/models/scs-runoff", body, field);
    }

    // Source: K. Subramanya, Engineering Hydrology (3rd ed. 2008), Example 8.6: K = 12 h, x = 0.2, dt = 6 h, initial
    // outflow 10 m3/s; the book's outflows (coefficients rounded to 0.048 / 0.429 / 0.523, hence 0.15 m3/s) and its
    // peak of about 49.6 m3/s at 30 h.
    [Fact]
    public async Task Muskingum_routes_the_textbook_example()
    {
        const string body = """{"inflowM3s":[10,20,50,60,55,45,35,27,20,15],"dtHours":6,"kHours":12,"x":0.2,"initialOutflowM3s":10}""";
        using JsonDocument json = await PostOkAsync("/api/models/muskingum", body);
        JsonElement root = json.RootElement;
        double[] published = [10.00, 10.48, 16.46, 32.94, 45.61, 49.61, 46.93, 40.87, 33.92, 27.04];
        double[] outflow = [.. root.GetProperty("outflowM3s").EnumerateArray().Select(e => e.GetDouble())];
        Assert.Equal(published.Length, outflow.Length);
        for (int j = 0; j < published.Length; j++)
        {
            Assert.True(Math.Abs(published[j] - outflow[j]) <= 0.15, $"t = {6 * j} h: book {published[j]}, answered {outflow[j]}");
        }

        Assert.Equal(49.61, root.GetProperty("peakOutflowM3s").GetDouble(), 0.15);
        Assert.Equal(30, root.GetProperty("peakAtHours").GetDouble());
        Assert.Equal(0.048, root.GetProperty("c0").GetDouble(), 0.0005);
        Assert.Equal(0.429, root.GetProperty("c1").GetDouble(), 0.0005);
        Assert.Equal(0.523, root.GetProperty("c2").GetDouble(), 0.001);
    }

    [Theory]
    [InlineData("""{"inflowM3s":[10,20,50],"dtHours":1,"kHours":12,"x":0.2,"initialOutflowM3s":10}""", "dtHours", "2Kx <= dt <= 2K(1-x)")]
    [InlineData("""{"inflowM3s":[10,20,50],"dtHours":24,"kHours":12,"x":0.2,"initialOutflowM3s":10}""", "dtHours", "C2 is negative")]
    [InlineData("""{"inflowM3s":[10,20,50],"dtHours":6,"kHours":12,"x":0.7,"initialOutflowM3s":10}""", "x", "between 0 and 0.5")]
    [InlineData("""{"inflowM3s":[10,-20,50],"dtHours":6,"kHours":12,"x":0.2,"initialOutflowM3s":10}""", "inflowM3s[1]", "negative flow")]
    [InlineData("""{"inflowM3s":[10,20,50],"dtHours":6,"kHours":12,"x":0.2,"initialOutflowM3s":-1}""", "initialOutflowM3s", "negative flow")]
    [InlineData("""{"inflowM3s":[10],"dtHours":6,"kHours":12,"x":0.2}""", "inflowM3s", "between 2 and")]
    [InlineData("""{"inflowM3s":[10,20],"dtHours":6,"x":0.2}""", "kHours", "required")]
    public async Task Muskingum_rejects_a_broken_rule_naming_it(string body, string field, string rule)
    {
        using HttpResponseMessage response = await PostAsync("/api/models/muskingum", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement messages = json.RootElement.GetProperty("errors").GetProperty(field);
        Assert.Contains(rule, messages[0].GetString());
        Assert.Contains(rule, json.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/models/gaussian-plume", """{"sourceRateGps":1,""")]
    [InlineData("/api/models/gaussian-plume", "not json")]
    [InlineData("/api/models/scs-runoff", "")]
    [InlineData("/api/models/scs-runoff", "null")]
    public async Task Malformed_json_is_a_problem_details_400(string path, string body)
    {
        using HttpResponseMessage response = await PostAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, json.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("title").GetString()));
    }

    private async Task AssertValidationProblemAsync(string path, string body, string field)
    {
        using HttpResponseMessage response = await PostAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, json.RootElement.GetProperty("status").GetInt32());
        JsonElement errors = json.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out JsonElement messages), $"errors should name {field}: {errors}");
        Assert.True(messages.GetArrayLength() > 0);
    }

    private async Task<JsonDocument> PostOkAsync(string path, string body)
    {
        using HttpResponseMessage response = await PostAsync(path, body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body)
    {
        using HttpClient viewer = server.CreateClient(TwinServerFixture.ViewerKey);
        return await viewer.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
    }
}
