using CityTwin.Grains.Model;

namespace CityTwin.Scenarios.District;

/// <summary>
/// The areas part of a generation run: the district square cut into streets (each with its storm drainage), the streets
/// into communities and the communities into governance grids, each area with its staff.
/// </summary>
internal sealed class AreaLayout(DistrictFrame frame)
{
    private readonly List<Area> _areas = new();
    private readonly List<GridPlan> _grids = new();
    private readonly List<(UtmRect Rect, double DrainageBase, string Name)> _streets = new();

    /// <summary>Every area, district first, then each street followed by its communities and their grids.</summary>
    public IReadOnlyList<Area> Areas => _areas;

    /// <summary>The grids with their community, street and rectangle.</summary>
    public IReadOnlyList<GridPlan> Grids => _grids;

    /// <summary>The streets' rectangles, storm drainage rates (mm/h) and names.</summary>
    public IReadOnlyList<(UtmRect Rect, double DrainageBase, string Name)> Streets => _streets;

    /// <summary>Lays out the areas.</summary>
    public void BuildAreas()
    {
        _areas.Add(new Area("district", AreaKind.District, frame.Options.Name, null, frame.RectRing(frame.Box),
            [frame.Person("director"), frame.Person("emergencyDutyOfficer")]));

        var streetRects = new List<UtmRect>();
        Split(frame.Box, frame.Options.StreetCount(), streetRects);
        for (int s = 0; s < streetRects.Count; s++)
        {
            string streetId = $"street-{s + 1}";
            string streetName = frame.Chinese ? $"{frame.Faker.Address.StreetName()}街道" : $"{frame.Faker.Address.StreetName()} Subdistrict";

            // Older cores drain 1-year storms (~25-35 mm/h); newer areas are built to 2-3 years (~40-50 mm/h).
            _streets.Add((streetRects[s], frame.Random.Double(25, 50), streetName));
            _areas.Add(new Area(streetId, AreaKind.Street, streetName, "district", frame.RectRing(streetRects[s]),
                [frame.Person("director"), frame.Person("dutyOfficer")]));

            var communityRects = new List<UtmRect>();
            Split(streetRects[s], frame.Options.CommunitiesPerStreet, communityRects);
            for (int c = 0; c < communityRects.Count; c++)
            {
                string communityId = $"community-{s + 1}-{c + 1}";
                string communityName = frame.Chinese ? $"{frame.Faker.Address.StreetName()}社区" : $"{frame.Faker.Address.StreetName()} Community";
                _areas.Add(new Area(communityId, AreaKind.Community, communityName, streetId, frame.RectRing(communityRects[c]),
                    [frame.Person("secretary"), frame.Person("communityWorker"), frame.Person("communityWorker")]));

                var gridRects = new List<UtmRect>();
                Split(communityRects[c], frame.Options.GridsPerCommunity, gridRects);
                for (int g = 0; g < gridRects.Count; g++)
                {
                    string gridId = $"grid-{s + 1}-{c + 1}-{g + 1}";
                    string gridName = frame.Chinese ? $"{communityName}第{g + 1}网格" : $"{communityName} Grid {g + 1}";
                    _areas.Add(new Area(gridId, AreaKind.Grid, gridName, communityId, frame.RectRing(gridRects[g]), [frame.Person("gridLeader")]));
                    _grids.Add(new GridPlan(gridId, communityId, streetId, gridRects[g]));
                }
            }
        }
    }

    /// <summary>Guillotine split into exactly <paramref name="parts"/> rectangles tiling <paramref name="rect"/>.</summary>
    private void Split(UtmRect rect, int parts, List<UtmRect> output)
    {
        if (parts <= 1)
        {
            output.Add(rect);
            return;
        }

        int first = parts / 2;

        // Jitter the cut so areas differ in size like real ones, but never so far that a part degenerates.
        double fraction = Math.Clamp((first / (double)parts) * frame.Random.Double(0.85, 1.15), 0.15, 0.85);
        if (rect.Width >= rect.Height)
        {
            double cut = rect.MinX + (fraction * rect.Width);
            Split(rect with { MaxX = cut }, first, output);
            Split(rect with { MinX = cut }, parts - first, output);
        }
        else
        {
            double cut = rect.MinY + (fraction * rect.Height);
            Split(rect with { MaxY = cut }, first, output);
            Split(rect with { MinY = cut }, parts - first, output);
        }
    }
}
