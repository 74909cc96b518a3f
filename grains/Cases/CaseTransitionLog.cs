using System.Text.Json;
using System.Text.Json.Serialization;
using CityTwin.Silo.EventLog;

namespace CityTwin.Grains.Cases;

/// <summary>
/// A transition as the event log records it (kind <see cref="LogKind"/>, key: the case id): the request, who acted (the
/// authenticated key's name; <see cref="StatedActor"/> is the caller's free text), and its outcome with the case's
/// status and timeline length after it. The case grain appends it in the turn that applied or refused the request, so
/// the log's order is the order of application: replaying the requests in log order rebuilds the same case.
/// </summary>
public sealed record CaseTransitionLog(
    string Action, string Actor, string? StatedActor, string? Note, string[] Evidence, string? Assignee, int? ExpectedSequence,
    string Outcome, string Status, int Sequence, string? Error)
{
    /// <summary>The event-log kind of case transitions.</summary>
    public const string LogKind = "case-transition";

    /// <summary>The record of <paramref name="request"/> answered by <paramref name="result"/>, the case being at <paramref name="status"/> with <paramref name="sequence"/> timeline entries.</summary>
    public static CaseTransitionLog Of(CaseTransitionRequest request, CaseTransitionResult result, CaseStatus status, int sequence)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        return new CaseTransitionLog(
            CaseNames.Of(request.Action), request.Actor, request.StatedActor, request.Note, request.Evidence, request.Assignee, request.ExpectedSequence,
            JsonNamingPolicy.CamelCase.ConvertName(result.Outcome.ToString()), CaseNames.Of(status), sequence, result.Error);
    }

    /// <summary>Reads a logged payload.</summary>
    public static CaseTransitionLog Read(ReadOnlyMemory<byte> payload) =>
        JsonSerializer.Deserialize<CaseTransitionLog>(payload.Span, JsonSerializerOptions.Web)
        ?? throw new JsonException("A case-transition payload is null.");

    /// <summary>True when the transition was applied.</summary>
    [JsonIgnore]
    public bool Applied => Outcome == "ok";

    /// <summary>The request again, as the case grain received it (to replay it).</summary>
    public CaseTransitionRequest ToRequest() =>
        new(CaseNames.TryParseAction(Action, out CaseAction action) ? action : throw new JsonException($"Unknown logged action '{Action}'."), Actor, Note)
        {
            StatedActor = StatedActor,
            Evidence = Evidence,
            Assignee = Assignee,
            ExpectedSequence = ExpectedSequence,
        };

    /// <summary>The event-log entry for case <paramref name="caseId"/> at <paramref name="at"/>.</summary>
    public EventAppend ToAppend(string caseId, DateTimeOffset at) =>
        new(at, LogKind, caseId, JsonSerializer.SerializeToUtf8Bytes(this, JsonSerializerOptions.Web));
}
