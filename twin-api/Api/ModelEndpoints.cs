using System.Text.Json;
using System.Text.Json.Serialization;
using CityTwin.Grains.Json;
using CityTwin.Scenarios.Models;
using CityTwin.TwinApi.Api.Models;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// Stateless physics endpoints under /api/models: a Gaussian plume at given receptors, SCS curve-number runoff and
/// Muskingum channel routing.
/// Bad input answers 400 with RFC 7807 problem details naming the offending field.
/// </summary>
public static class ModelEndpoints
{
    /// <summary>Most receptors one plume request may carry.</summary>
    public const int MaxReceptors = 10_000;

    // Bounds that keep every answer finite and within the models' published ranges: the ISC3 dispersion curves run from
    // 100 m to 100 km (1 m is allowed, where they still give positive spreads; much closer, sigma-y turns negative), the
    // plume equation does not hold in calm air, and TR-55 tabulates curve numbers from 30 to 100.
    private const double MaxSourceRateGps = 1e6, MaxSourceHeightM = 1_000, MinWindSpeedMps = 0.5, MaxWindSpeedMps = 50;
    private const double MaxDistanceM = 100_000, MinDownwindM = 1, MaxReceptorHeightM = 10_000;
    private const double MaxRainfallMm = 2_000, MinCurveNumber = 30, MaxCurveNumber = 100;

    /// <summary>Most inflow values one routing request may carry.</summary>
    public const int MaxHydrographSteps = 10_000;

    // The body is read here rather than bound by the framework so that malformed JSON and NaN/Infinity literals get
    // the same field-named problem details as range errors, whatever JSON options the host configures.
    private static readonly JsonSerializerOptions _json = new(TwinJson.Options)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
        AllowDuplicateProperties = false,
    };

    /// <summary>Maps POST /api/models/gaussian-plume, POST /api/models/scs-runoff and POST /api/models/muskingum.</summary>
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Models compute and store nothing, so reading rights suffice.
        RouteGroupBuilder group = app.MapGroup("/api/models").WithTags("Models").WithMetadata(new Auth.RequiredRole(Auth.Role.Viewer));

        group.MapPost("/gaussian-plume", GaussianPlumeAsync)
            .WithName("GaussianPlume")
            .Accepts<GaussianPlumeRequest>("application/json")
            .Produces<GaussianPlumeResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapPost("/scs-runoff", ScsRunoffAsync)
            .WithName("ScsRunoff")
            .Accepts<ScsRunoffRequest>("application/json")
            .Produces<ScsRunoffResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapPost("/muskingum", MuskingumAsync)
            .WithName("Muskingum")
            .Accepts<MuskingumRequest>("application/json")
            .Produces<MuskingumResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return app;
    }

    private static async Task<IResult> GaussianPlumeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        (GaussianPlumeRequest? body, IResult? failure) = await ReadAsync<GaussianPlumeRequest>(request, cancellationToken);
        if (body is null)
        {
            return failure!;
        }

        var errors = new Dictionary<string, string[]>();
        double rate = Required(errors, "sourceRateGps", body.SourceRateGps, v => v is >= 0 and <= MaxSourceRateGps, $"must be a number from 0 to {MaxSourceRateGps:0} (g/s)");
        double height = Required(errors, "sourceHeightM", body.SourceHeightM, v => v is >= 0 and <= MaxSourceHeightM, $"must be a number from 0 to {MaxSourceHeightM:0} (m)");
        double wind = Required(errors, "windSpeedMps", body.WindSpeedMps, v => v is >= MinWindSpeedMps and <= MaxWindSpeedMps,
            $"must be a number from {MinWindSpeedMps} to {MaxWindSpeedMps} (m/s); the plume model does not hold in calmer air");

        StabilityClass stability = StabilityClass.D;
        if (body.Stability is null)
        {
            errors["stability"] = ["is required"];
        }
        else if (!PasquillGiffordStability.TryParse(body.Stability, out stability))
        {
            errors["stability"] = ["must be one of A, B, C, D, E, F"];
        }

        DispersionScheme scheme = DispersionScheme.PasquillGifford;
        if (body.Dispersion is not null && !TryParseScheme(body.Dispersion, out scheme))
        {
            errors["dispersion"] = ["must be one of pasquill-gifford, briggs-rural, briggs-urban"];
        }

        IReadOnlyList<PlumeReceptorRequest?>? receptors = body.Receptors;
        if (receptors is null)
        {
            errors["receptors"] = ["is required"];
        }
        else if (receptors.Count == 0 || receptors.Count > MaxReceptors)
        {
            errors["receptors"] = [$"must hold between 1 and {MaxReceptors} receptors"];
        }
        else
        {
            for (int i = 0; i < receptors.Count; i++)
            {
                PlumeReceptorRequest? r = receptors[i];
                if (r is null)
                {
                    errors[$"receptors[{i}]"] = ["must be an object"];
                    continue;
                }

                Required(errors, $"receptors[{i}].downwindM", r.DownwindM, v => v is >= -MaxDistanceM and <= MaxDistanceM and (<= 0 or >= MinDownwindM),
                    $"must be a number from -{MaxDistanceM:0} to {MaxDistanceM:0} (m), and downwind (> 0) at least {MinDownwindM} m from the source");
                Optional(errors, $"receptors[{i}].crosswindM", r.CrosswindM, v => v is >= -MaxDistanceM and <= MaxDistanceM, $"must be a number from -{MaxDistanceM:0} to {MaxDistanceM:0} (m)");
                Optional(errors, $"receptors[{i}].heightM", r.HeightM, v => v is >= 0 and <= MaxReceptorHeightM, $"must be a number from 0 to {MaxReceptorHeightM:0} (m)");
            }
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var plume = new GaussianPlume(rate, height, wind, stability, scheme);
        var results = new PlumeReceptorResult[receptors!.Count];
        for (int i = 0; i < results.Length; i++)
        {
            PlumeReceptorRequest r = receptors[i]!;
            double x = r.DownwindM!.Value;
            double y = r.CrosswindM ?? 0.0;
            double z = r.HeightM ?? 0.0;
            double sy = 0.0;
            double sz = 0.0;
            double c = 0.0;
            if (x > 0)
            {
                DispersionCoefficients.Compute(scheme, stability, x, out sy, out sz);
                c = GaussianPlume.Formula(rate, wind, height, sy, sz, y, z);
            }

            results[i] = new PlumeReceptorResult(x, y, z, sy, sz, c);
        }

        return Results.Json(new GaussianPlumeResponse(results), _json);
    }

    private static async Task<IResult> ScsRunoffAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        (ScsRunoffRequest? body, IResult? failure) = await ReadAsync<ScsRunoffRequest>(request, cancellationToken);
        if (body is null)
        {
            return failure!;
        }

        var errors = new Dictionary<string, string[]>();
        double rainfall = Required(errors, "rainfallMm", body.RainfallMm, v => v is >= 0 and <= MaxRainfallMm, $"must be a number from 0 to {MaxRainfallMm:0} (mm)");
        double cn = Required(errors, "curveNumber", body.CurveNumber, v => v is >= MinCurveNumber and <= MaxCurveNumber,
            $"must be a number from {MinCurveNumber:0} to {MaxCurveNumber:0} (the range of TR-55's tables)");
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        double retention = ScsCurveNumber.RetentionMm(cn);
        double abstraction = 0.2 * retention;
        double runoff = ScsCurveNumber.RunoffMm(rainfall, retention, abstraction);
        return Results.Json(new ScsRunoffResponse(runoff, retention, abstraction), _json);
    }

    private static async Task<IResult> MuskingumAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        (MuskingumRequest? body, IResult? failure) = await ReadAsync<MuskingumRequest>(request, cancellationToken);
        if (body is null)
        {
            return failure!;
        }

        var errors = new Dictionary<string, string[]>();
        IReadOnlyList<double?>? inflow = body.InflowM3s;
        if (inflow is null)
        {
            errors["inflowM3s"] = ["is required"];
        }
        else if (inflow.Count < 2 || inflow.Count > MaxHydrographSteps)
        {
            errors["inflowM3s"] = [$"must hold between 2 and {MaxHydrographSteps} flows"];
        }
        else
        {
            for (int i = 0; i < inflow.Count; i++)
            {
                Required(errors, $"inflowM3s[{i}]", inflow[i], v => v >= 0, "must be a finite flow >= 0 (m3/s): a negative flow breaks continuity");
            }
        }

        double dt = Required(errors, "dtHours", body.DtHours, v => v > 0, "must be a finite time > 0 (hours)");
        double k = Required(errors, "kHours", body.KHours, v => v > 0, "must be a finite time > 0 (hours)");
        double x = Required(errors, "x", body.X, v => v is >= 0 and <= Muskingum.MaxX, "must be between 0 and 0.5 (Muskingum weighting factor)");
        double initial = Optional(errors, "initialOutflowM3s", body.InitialOutflowM3s, v => v >= 0, "must be a finite flow >= 0 (m3/s): a negative flow breaks continuity");
        if (!errors.ContainsKey("dtHours") && !errors.ContainsKey("kHours") && !errors.ContainsKey("x") && Muskingum.Rule(dt, k, x, "h") is { } broken)
        {
            errors["dtHours"] = [broken];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, detail: string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
        }

        double[] flows = [.. inflow!.Select(v => v!.Value)];
        MuskingumRouting routed = Muskingum.Route(flows, dt, k, x, body.InitialOutflowM3s is null ? flows[0] : initial);
        return Results.Json(new MuskingumResponse(routed.Outflow, routed.PeakOutflow, routed.PeakAt, routed.C0, routed.C1, routed.C2), _json);
    }

    private static async Task<(T? Body, IResult? Failure)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        (JsonDocument? read, IResult? unreadable) = await ApiProblems.ReadJsonAsync(request, cancellationToken);
        using JsonDocument? document = read;
        if (document is null)
        {
            return (null, unreadable);
        }

        try
        {
            T? body = document.Deserialize<T>(_json);
            return body is null
                ? (null, Results.Problem(title: "Request body is required", detail: "Send a JSON object.", statusCode: StatusCodes.Status400BadRequest))
                : (body, null);
        }
        catch (JsonException ex)
        {
            // A value of the wrong type has a path (e.g. $.receptors[0].downwindM); name that field like other errors.
            string? field = FieldFromPath(ex.Path);
            if (field is not null)
            {
                return (null, Results.ValidationProblem(new Dictionary<string, string[]> { [field] = ["could not be read as the expected type"] }));
            }

            return (null, Results.Problem(title: "Malformed JSON", detail: "The request body is not a JSON object of the expected shape.", statusCode: StatusCodes.Status400BadRequest));
        }
    }

    private static string? FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
    }

    private static double Required(Dictionary<string, string[]> errors, string field, double? value, Func<double, bool> valid, string message)
    {
        if (value is null)
        {
            errors[field] = ["is required"];
            return double.NaN;
        }

        return Optional(errors, field, value, valid, message);
    }

    private static double Optional(Dictionary<string, string[]> errors, string field, double? value, Func<double, bool> valid, string message)
    {
        if (value is not double v)
        {
            return double.NaN;
        }

        if (!double.IsFinite(v) || !valid(v))
        {
            errors[field] = [message];
        }

        return v;
    }

    private static bool TryParseScheme(string text, out DispersionScheme scheme)
    {
        switch (text.ToLowerInvariant())
        {
            case "pasquill-gifford":
                scheme = DispersionScheme.PasquillGifford;
                return true;
            case "briggs-rural":
                scheme = DispersionScheme.BriggsRural;
                return true;
            case "briggs-urban":
                scheme = DispersionScheme.BriggsUrban;
                return true;
            default:
                scheme = DispersionScheme.PasquillGifford;
                return false;
        }
    }
}
