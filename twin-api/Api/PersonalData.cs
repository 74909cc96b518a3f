using System.Text.Json.Nodes;
using CityTwin.Grains.Cases;
using CityTwin.Grains.Model;
using CityTwin.TwinApi.Auth;

namespace CityTwin.TwinApi.Api;

/// <summary>
/// Names and phone numbers of people (a case's reporter and contact, a building's contacts, an alert's recipients) are
/// personal data: answers show them to operators and above (<see cref="ApiCaller.SeesPersonalData"/>); viewers and
/// anonymous readers get the same answer with those fields emptied (a contact keeps its role).
/// </summary>
public static class PersonalData
{
    /// <summary>A contact without its name and phone number.</summary>
    public static Contact Withhold(Contact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return contact with { Name = "", Phone = "" };
    }

    /// <summary>An alert whose recipients have no names or phone numbers (the hub pushes alerts so to everyone).</summary>
    public static Alert Withhold(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.Recipients.Length == 0 ? alert : alert with { Recipients = [.. alert.Recipients.Select(c => Withhold(c))] };
    }

    /// <summary>The case as <paramref name="context"/>'s caller may see it.</summary>
    public static CaseView For(HttpContext context, CaseView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return ApiCaller.SeesPersonalData(context) ? view : view with { Reporter = null, Contact = null };
    }

    /// <summary>The alerts as <paramref name="context"/>'s caller may see them.</summary>
    public static IReadOnlyList<Alert> For(HttpContext context, IReadOnlyList<Alert> alerts) =>
        ApiCaller.SeesPersonalData(context) ? alerts : [.. alerts.Select(a => Withhold(a))];

    /// <summary>An entity's state JSON as <paramref name="context"/>'s caller may see it: a building's contacts lose their names and phone numbers.</summary>
    public static string? ForState(HttpContext context, EntityType type, string? stateJson)
    {
        if (stateJson is null || type != EntityType.Building || ApiCaller.SeesPersonalData(context)
            || JsonNode.Parse(stateJson) is not JsonObject state || state["definition"]?["contacts"] is not JsonArray contacts)
        {
            return stateJson;
        }

        foreach (JsonObject contact in contacts.OfType<JsonObject>())
        {
            contact["name"] = "";
            contact["phone"] = "";
        }

        return state.ToJsonString();
    }
}
