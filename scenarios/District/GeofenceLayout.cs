using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.Scenarios.District;

/// <summary>
/// The muck-truck part of a generation run: construction sites, disposal points at the edge of the built-up area and
/// checkpoints, as geofences.
/// </summary>
internal sealed class GeofenceLayout(DistrictFrame frame)
{
    /// <summary>The geofences; <paramref name="sites"/> and <paramref name="checkpoints"/> answer where sites and checkpoints lie.</summary>
    public Geofence[] BuildGeofences(out List<(Geofence Fence, ProjectedPoint At)> sites, out List<ProjectedPoint> checkpoints)
    {
        var fences = new List<Geofence>();
        sites = new List<(Geofence, ProjectedPoint)>();
        checkpoints = new List<ProjectedPoint>();
        for (int i = 0; i < frame.Options.ConstructionSiteCount(); i++)
        {
            double w = frame.Random.Double(80, 200), h = frame.Random.Double(80, 200);
            ProjectedPoint at = frame.LandPoint(frame.Box.Shrink((Math.Max(w, h) / 2) + DistrictFrame.EdgeMargin), (Math.Max(w, h) * 0.75) + 10);
            string name = frame.Chinese ? $"{frame.Faker.Address.StreetName()}工地" : $"{frame.Faker.Address.StreetName()} Construction Site";
            var fence = new Geofence($"site-{i + 1}", GeofenceKind.ConstructionSite, name, frame.ToGeo(at), frame.RectRing(UtmRect.Around(at, w, h)), 0);
            fences.Add(fence);
            sites.Add((fence, at));
        }

        for (int i = 0; i < frame.Options.DisposalPointCount(); i++)
        {
            double w = frame.Random.Double(100, 250), h = frame.Random.Double(100, 250);

            // Disposal points sit at the edge of the built-up area, where trucks leave the district.
            ProjectedPoint at = frame.LandPoint(frame.EdgeBand(500, (Math.Max(w, h) / 2) + DistrictFrame.EdgeMargin), (Math.Max(w, h) * 0.75) + 10);
            string name = frame.Chinese ? $"{frame.Faker.Address.StreetName()}消纳场" : $"{frame.Faker.Address.StreetName()} Disposal Point";
            fences.Add(new Geofence($"disposal-{i + 1}", GeofenceKind.DisposalPoint, name, frame.ToGeo(at), frame.RectRing(UtmRect.Around(at, w, h)), 0));
        }

        for (int i = 0; i < frame.Options.CheckpointCount(); i++)
        {
            ProjectedPoint at = frame.LandPoint(frame.EdgeBand(250, 40), 40);
            string name = frame.Chinese ? $"{frame.Faker.Address.StreetName()}检查站" : $"{frame.Faker.Address.StreetName()} Checkpoint";
            fences.Add(new Geofence($"checkpoint-{i + 1}", GeofenceKind.Checkpoint, name, frame.ToGeo(at), null, 30));
            checkpoints.Add(at);
        }

        return fences.ToArray();
    }
}
