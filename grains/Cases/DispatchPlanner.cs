using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;
using CityTwin.Grains.Twin;

namespace CityTwin.Grains.Cases;

/// <summary>
/// Finds the nearest available units able to do what a category's plan asks, from the live read model. Travel
/// distance is estimated as straight-line distance times the catalogue's network factor: with one factor for all
/// units the ranking is the straight-line ranking, and the estimate is what the API reports until street routing
/// exists. Availability here is a hint; the responder grain confirms an assignment in its own turn.
/// </summary>
public sealed class DispatchPlanner(TwinDirectory directory, CaseCatalogue catalogue)
{
    /// <summary>Up to <paramref name="max"/> candidates for <paramref name="spec"/> near <paramref name="at"/>, nearest first.</summary>
    public IReadOnlyList<DispatchCandidate> Candidates(DispatchUnitSpec spec, GeoPoint at, int max = 5, ISet<string>? exclude = null)
    {
        if (!directory.IsInitialized)
        {
            return [];
        }

        EntityType type = spec.Type == "vehicle" ? EntityType.Vehicle : EntityType.Responder;
        var found = new List<DispatchCandidate>();
        foreach (double radius in catalogue.SearchRadiiM)
        {
            foreach (SpatialHit<string> hit in directory.Near(type, at, radius))
            {
                if (exclude?.Contains(hit.Key) == true || directory.Get(type, hit.Key) is not { } unit || !IsAble(spec, unit))
                {
                    continue;
                }

                found.Add(new DispatchCandidate(spec.Type, hit.Key, hit.DistanceMetres, hit.DistanceMetres * catalogue.NetworkFactor));
                if (found.Count == max)
                {
                    return found;
                }
            }

            if (found.Count > 0)
            {
                return found;
            }
        }

        return found;
    }

    /// <summary>A named unit as a candidate (manual assignment): null when no responder or vehicle has that id.</summary>
    public DispatchCandidate? Named(string id, GeoPoint at)
    {
        if (directory.Get(id) is not { Type: EntityType.Responder or EntityType.Vehicle } unit)
        {
            return null;
        }

        double d = directory.IsInitialized ? directory.Projection.DistanceMetres(at, unit.Position) : double.NaN;
        return new DispatchCandidate(unit.Type == EntityType.Vehicle ? "vehicle" : "responder", id, d, d * catalogue.NetworkFactor);
    }

    /// <summary>Whether a responder's id is known (a grid worker may close small issues on the spot).</summary>
    public bool IsResponder(string id) => directory.Get(EntityType.Responder, id) is not null;

    private static bool IsAble(DispatchUnitSpec spec, EntitySummary unit)
    {
        if (unit.Status != "available" || unit.Properties?.ContainsKey("caseId") == true)
        {
            return false;
        }

        if (spec.Type == "vehicle")
        {
            return unit.Kind is not null && spec.Kinds.Contains(unit.Kind, StringComparer.OrdinalIgnoreCase);
        }

        return spec.Skill is null
            || (unit.Properties?.TryGetValue("skills", out object? skills) == true && skills is string list
                && list.Split(',').Contains(spec.Skill, StringComparer.OrdinalIgnoreCase));
    }
}
