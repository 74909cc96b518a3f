using System.Text.Json;
using CityTwin.Grains.Cases;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Json;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;
using CityTwin.Silo.EventLog;
using CityTwin.TwinApi.Api.Models;
using CityTwin.TwinApi.Auth;
using CityTwin.TwinApi.Ingest;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// The case loop over HTTP: reports from every source (POST /api/cases), transitions with note and evidence
/// (POST /api/cases/{id}/transitions; illegal ones answer 409 with the allowed actions; who acted is the caller's key,
/// the body's actor a note beside it), the case with its whole timeline (reporter and contact for operators and above),
/// the filtered and paged case list, the category catalogue and a responder's tasks. Reports are appended to the event
/// log before they are applied, transitions by the case grain with their outcome in the turn that applies them; both
/// before they are acknowledged. The history of a case cannot be edited or deleted through the API: there is no PUT,
/// PATCH or DELETE.
/// </summary>
public static class CaseEndpoints
{
    /// <summary>How dispatch measures distance, stated in the API documentation and in dispatch responses.</summary>
    public const string TravelDistanceNote =
        "Dispatch picks the nearest available able unit by travel distance, estimated as straight-line distance times the catalogue's network factor (no street routing yet).";

    /// <summary>Maps the case endpoints.</summary>
    public static IEndpointRouteBuilder MapCaseEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/cases", Report).WithName("ReportCase")
            .Accepts<CaseReportBody>("application/json").Produces<CaseView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Reports a case: {location:{lon,lat}, category, description, photoUrls, contact:{name,phone}, source, area?}. Source is citizen (default), hotline, patrol, ai-camera, drone or satellite; drone and satellite reports send a polygon as area: [[lon,lat],…].");
        app.MapGet("/api/cases", List).WithName("ListCases")
            .WithSummary("Cases filtered by state, area (any level), category, source, assignee and report time (from inclusive, to exclusive), newest first, paged.");
        app.MapGet("/api/cases/categories", Categories).WithName("CaseCategories")
            .WithSummary("The category catalogue: department, severity, dispatch plan and SLA per stage.");
        app.MapGet("/api/cases/{id}", Get).WithName("GetCase").WithSummary("A case with its whole timeline.")
            .Produces<CaseView>().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPost("/api/cases/{id}/transitions", Transition).WithName("TransitionCase")
            .Accepts<CaseTransitionBody>("application/json").Produces<CaseView>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Moves a case: {action, actor?, note, evidence, assignee?, expectedSequence?}. The timeline records the caller's key name as who acted; actor is free text kept beside it. Illegal actions answer 409 with allowedActions. " + TravelDistanceNote);
        app.MapGet("/api/responders/{id}/tasks", Tasks).WithName("ResponderTasks").WithSummary("The cases assigned to a responder.");
        return app;
    }

    private static async Task<IResult> Report(HttpRequest request, CaseCatalogue catalogue, IEventLog eventLog, IGrainFactory grains, TimeProvider time, CancellationToken ct)
    {
        (JsonDocument? read, IResult? unreadable) = await ApiProblems.ReadJsonAsync(request, ct);
        using JsonDocument? doc = read;
        if (doc is null)
        {
            return unreadable!;
        }

        JsonElement body = doc.RootElement;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return ApiProblems.BadRequest("The body must be a JSON object.");
        }

        CaseSource source = CaseSource.Citizen;
        if (String(body, "source") is { } sourceName && !CaseNames.TryParseSource(sourceName, out source))
        {
            return ApiProblems.BadRequest($"Unknown source '{sourceName}'; use one of {string.Join(", ", CaseNames.Sources)}.", "source");
        }

        string? categoryId = String(body, "category");
        if (catalogue.Find(categoryId) is not { } category)
        {
            return ApiProblems.BadRequest($"Unknown category '{categoryId}'; GET /api/cases/categories lists them.", "category");
        }

        GeoPoint[]? area = null;
        if (body.TryGetProperty("area", out JsonElement areaJson) && areaJson.ValueKind != JsonValueKind.Null)
        {
            if (!TryReadRing(areaJson, out area))
            {
                return ApiProblems.BadRequest("area must be a polygon ring [[lon,lat],…] of at least 3 valid positions.", "area");
            }
        }
        else if (source is CaseSource.Drone or CaseSource.Satellite)
        {
            return ApiProblems.BadRequest("Drone and satellite change detections need the changed area as a polygon: area: [[lon,lat],…].", "area");
        }

        GeoPoint location;
        if (body.TryGetProperty("location", out JsonElement loc) && loc.ValueKind != JsonValueKind.Null)
        {
            if (!TryReadPoint(loc, out location))
            {
                return ApiProblems.BadRequest("location must be {lon, lat} with -180 <= lon <= 180 and -90 <= lat <= 90.", "location");
            }
        }
        else if (area is not null)
        {
            location = new GeoPoint(area.Average(p => p.Lon), area.Average(p => p.Lat));
        }
        else
        {
            return ApiProblems.BadRequest("location {lon, lat} is required.", "location");
        }

        string? description = String(body, "description"), reporter = String(body, "reporter");
        string? externalRef = String(body, "externalRef"), buildingId = String(body, "buildingId");
        JsonElement c = body.TryGetProperty("contact", out JsonElement contactJson) && contactJson.ValueKind == JsonValueKind.Object ? contactJson : default;
        string? contactName = c.ValueKind == JsonValueKind.Object ? String(c, "name") : null, phone = c.ValueKind == JsonValueKind.Object ? String(c, "phone") : null;
        if (TextLimits.Check(
            ("description", description, TextLimits.Text), ("reporter", reporter, TextLimits.Name), ("externalRef", externalRef, TextLimits.Id),
            ("buildingId", buildingId, TextLimits.Id), ("contact.name", contactName, TextLimits.Name), ("contact.phone", phone, TextLimits.Phone)) is { } tooLong)
        {
            return tooLong;
        }

        if (!TryReadUrls(body, "photoUrls", out string[] photos, out string? photoError))
        {
            return ApiProblems.BadRequest(photoError!, "photoUrls");
        }

        var report = new CaseReport(source, category.Id, location, description)
        {
            Area = area,
            PhotoUrls = photos,
            Contact = c.ValueKind == JsonValueKind.Object ? new Contact(contactName ?? "", "reporter", phone ?? "") : null,
            Reporter = reporter,
            SubmittedBy = ApiCaller.Of(request.HttpContext)?.Name,
            ExternalRef = externalRef,
            BuildingId = buildingId,
        };
        CaseView view = await CaseReportIngest.ReportAsync(eventLog, grains, time, report, ct);
        return Results.Created($"/api/cases/{view.Id}", view);
    }

    private static async Task<IResult> Transition(string id, HttpRequest request, CaseIndex cases, IGrainFactory grains, CancellationToken ct)
    {
        (JsonDocument? read, IResult? unreadable) = await ApiProblems.ReadJsonAsync(request, ct);
        using JsonDocument? doc = read;
        if (doc is null)
        {
            return unreadable!;
        }

        JsonElement body = doc.RootElement;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return ApiProblems.BadRequest("The body must be a JSON object {action, actor, note, evidence}.");
        }

        string? actionName = String(body, "action");
        if (!CaseNames.TryParseAction(actionName, out CaseAction action))
        {
            return ApiProblems.BadRequest($"Unknown action '{actionName}'; use one of {string.Join(", ", CaseNames.Actions)}.", "action");
        }

        // Who acted is the caller's key (the middleware let only an operator or above in); "actor" in the body is a note beside it.
        string actor = ApiCaller.Of(request.HttpContext)?.Name ?? throw new InvalidOperationException("A transition reached its endpoint without an API key.");
        string? statedActor = String(body, "actor"), note = String(body, "note"), assignee = String(body, "assignee");
        if (TextLimits.Check(("actor", statedActor, TextLimits.Name), ("note", note, TextLimits.Text), ("assignee", assignee, TextLimits.Id)) is { } tooLong)
        {
            return tooLong;
        }

        if (!TryReadUrls(body, "evidence", out string[] evidence, out string? evidenceError))
        {
            return ApiProblems.BadRequest(evidenceError!, "evidence");
        }

        int? expected = null;
        if (body.TryGetProperty("expectedSequence", out JsonElement seq) && seq.ValueKind != JsonValueKind.Null)
        {
            if (seq.ValueKind != JsonValueKind.Number || !seq.TryGetInt32(out int s) || s < 1)
            {
                return ApiProblems.BadRequest("expectedSequence must be a positive integer (the timeline length you saw).", "expectedSequence");
            }

            expected = s;
        }

        ICaseGrain grain = grains.GetGrain<ICaseGrain>(id);
        if (cases.Get(id) is null && await grain.GetAsync() is null)
        {
            return ApiProblems.NotFound($"No case '{id}'.");
        }

        // The case grain appends the transition with its outcome to the event log in the turn that applies it.
        var transition = new CaseTransitionRequest(action, actor, note)
        {
            Evidence = evidence, Assignee = assignee, ExpectedSequence = expected, StatedActor = string.IsNullOrWhiteSpace(statedActor) ? null : statedActor,
        };
        CaseTransitionResult result = await grain.TransitionAsync(transition);
        return result.Outcome switch
        {
            CaseOutcome.Ok => Results.Ok(result.Case),
            CaseOutcome.NotFound => ApiProblems.NotFound($"No case '{id}'."),
            CaseOutcome.Invalid => ApiProblems.BadRequest(result.Error!, result.Field),
            CaseOutcome.NoUnit => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "No unit available", detail: result.Error,
                extensions: new Dictionary<string, object?> { ["status"] = result.Case?.Status, ["allowedActions"] = result.AllowedActions }),
            _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Transition not allowed", detail: result.Error,
                extensions: new Dictionary<string, object?> { ["caseStatus"] = result.Case?.Status, ["allowedActions"] = result.AllowedActions }),
        };
    }

    private static async Task<IResult> Get(string id, HttpContext context, IGrainFactory grains) =>
        await grains.GetGrain<ICaseGrain>(id).GetAsync() is { } view ? Results.Ok(PersonalData.For(context, view)) : ApiProblems.NotFound($"No case '{id}'.");

    private static IResult List(CaseIndex cases, string? state, string? area, string? category, string? source, string? assignee,
        DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize)
    {
        CaseStatus? status = null;
        if (state is not null)
        {
            if (!CaseNames.TryParseStatus(state, out CaseStatus s))
            {
                return ApiProblems.BadRequest($"Unknown state '{state}'; use one of {string.Join(", ", CaseNames.Statuses)}.", "state");
            }

            status = s;
        }

        CaseSource? src = null;
        if (source is not null)
        {
            if (!CaseNames.TryParseSource(source, out CaseSource s))
            {
                return ApiProblems.BadRequest($"Unknown source '{source}'; use one of {string.Join(", ", CaseNames.Sources)}.", "source");
            }

            src = s;
        }

        if (from is not null && to is not null && to <= from)
        {
            return ApiProblems.BadRequest("to must be after from.", "to");
        }

        int p = page ?? 1, size = pageSize ?? 50;
        if (p < 1)
        {
            return ApiProblems.BadRequest("page starts at 1.", "page");
        }

        if (size is < 1 or > 1000)
        {
            return ApiProblems.BadRequest("pageSize must be between 1 and 1000.", "pageSize");
        }

        (int total, IReadOnlyList<CaseSummary> items) = cases
            .Query(new CaseQuery(status, area, category, src, from, to, assignee), p, size);
        return Results.Ok(new
        {
            total,
            page = p,
            pageSize = size,
            items = items.Select(c => new
            {
                id = c.Id, status = CaseNames.Of(c.Status), source = CaseNames.Of(c.Source), category = c.Category, severity = c.Severity,
                location = c.Location, gridId = c.GridId, communityId = c.CommunityId, streetId = c.StreetId, districtId = c.DistrictId,
                assignee = c.Assignee, level = c.Level, overdue = c.Overdue, reportedAt = c.ReportedAt, updatedAt = c.UpdatedAt,
            }),
        });
    }

    private static IResult Categories(CaseCatalogue catalogue)
    {
        return Results.Ok(new { networkFactor = catalogue.NetworkFactor, travelDistance = TravelDistanceNote, categories = catalogue.Categories });
    }

    private static async Task<IResult> Tasks(string id, TwinDirectory directory, CaseIndex index, IGrainFactory grains)
    {
        if (directory.Get(EntityType.Responder, id) is null)
        {
            return ApiProblems.NotFound($"No responder '{id}'.");
        }

        ResponderTask[] tasks = await grains.GetGrain<IResponderGrain>(id).GetTasksAsync();
        return Results.Ok(new
        {
            responderId = id,
            tasks = tasks.Select(t => new
            {
                caseId = t.CaseId, category = t.Category, status = t.Status, assignedAt = t.AssignedAt, updatedAt = t.UpdatedAt,
                caseStatus = index.Get(t.CaseId) is { } c ? CaseNames.Of(c.Status) : null, location = index.Get(t.CaseId)?.Location,
            }),
        });
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool TryReadPoint(JsonElement e, out GeoPoint point)
    {
        point = default;
        if (e.ValueKind == JsonValueKind.Object
            && e.TryGetProperty("lon", out JsonElement lon) && lon.ValueKind == JsonValueKind.Number
            && e.TryGetProperty("lat", out JsonElement lat) && lat.ValueKind == JsonValueKind.Number)
        {
            point = new GeoPoint(lon.GetDouble(), lat.GetDouble());
        }
        else if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 2 && e[0].ValueKind == JsonValueKind.Number && e[1].ValueKind == JsonValueKind.Number)
        {
            point = new GeoPoint(e[0].GetDouble(), e[1].GetDouble());
        }
        else
        {
            return false;
        }

        return double.IsFinite(point.Lon) && double.IsFinite(point.Lat) && Math.Abs(point.Lon) <= 180 && Math.Abs(point.Lat) <= 90;
    }

    private static bool TryReadRing(JsonElement e, out GeoPoint[]? ring)
    {
        ring = null;
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() is < 3 or > 10_000)
        {
            return false;
        }

        var points = new List<GeoPoint>(e.GetArrayLength());
        foreach (JsonElement p in e.EnumerateArray())
        {
            if (!TryReadPoint(p, out GeoPoint point))
            {
                return false;
            }

            points.Add(point);
        }

        ring = points.ToArray();
        return true;
    }

    private static bool TryReadUrls(JsonElement obj, string name, out string[] values, out string? error)
    {
        values = [];
        error = null;
        if (!obj.TryGetProperty(name, out JsonElement arr) || arr.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (arr.ValueKind != JsonValueKind.Array || arr.GetArrayLength() > TextLimits.Urls
            || arr.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String || !TextLimits.IsWebUrl(v.GetString())))
        {
            error = $"{name} must be an array of at most {TextLimits.Urls} absolute http or https URLs of at most {TextLimits.Url} characters each.";
            return false;
        }

        values = arr.EnumerateArray().Select(v => v.GetString()!).ToArray();
        return true;
    }
}
