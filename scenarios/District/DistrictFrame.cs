using Bogus;
using CityTwin.Grains.Geo;
using CityTwin.Grains.Model;

namespace CityTwin.Scenarios.District;

/// <summary>
/// What every part of one generation run shares: the options, the one seeded random source all parts draw from (so the
/// order of the parts is part of the output contract), the locale's names, the projection and the square, the river and
/// the terrain, and the placement helpers (points on land, rounding to WGS84, people, plates, random counts).
/// </summary>
internal sealed class DistrictFrame
{
    /// <summary>Decimals of generated lon/lat: 1e-7 degrees is about 1 cm, plenty for a city model, and keeps the JSON short.</summary>
    public const int Decimals = 7;

    /// <summary>Buildings, sites and sensors stay this far (m) inside the square so rounding can never push them out.</summary>
    public const double EdgeMargin = 5;

    private static readonly string[] MobilePrefixes = ["133", "135", "136", "138", "139", "150", "152", "158", "177", "180", "186", "189", "199"];
    private static readonly string[] PlateLetters = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z"];

    private readonly DistrictOptions _options;
    private readonly Randomizer _random;
    private readonly Faker _faker;
    private readonly bool _chinese;
    private readonly UtmProjection _utm;
    private readonly UtmRect _box;
    private readonly RiverModel _river;

    /// <summary>Sets up the run for <paramref name="options"/>: the random source, the square, then the river and the terrain.</summary>
    public DistrictFrame(DistrictOptions options)
    {
        _options = options;
        _random = new Randomizer(options.Seed);
        try
        {
            // Never Randomizer.Seed: it is process-wide static state in Bogus.
            _faker = new Faker(options.Locale) { Random = _random };
        }
        catch (BogusException ex)
        {
            throw new ArgumentException($"District option Locale '{options.Locale}' is not a Bogus locale: {ex.Message}", nameof(options), ex);
        }

        _chinese = options.Locale.StartsWith("zh", StringComparison.Ordinal);
        Centre = new GeoPoint(options.CentreLon, options.CentreLat);
        _utm = UtmProjection.ForCentre(Centre);
        ProjectedPoint c = _utm.Forward(Centre);
        double half = options.SizeKm * 500;
        _box = new UtmRect(c.X - half, c.Y - half, c.X + half, c.Y + half);
        _river = new RiverModel(_random, _box);
        RiverName = _chinese ? "锦江" : "Jin River";
        Terrain = Terrain.Create(_random);
    }

    /// <summary>The options of the run.</summary>
    public DistrictOptions Options => _options;

    /// <summary>The run's one random source.</summary>
    public Randomizer Random => _random;

    /// <summary>Names and addresses in the run's locale (drawing from <see cref="Random"/>).</summary>
    public Faker Faker => _faker;

    /// <summary>True for a Chinese locale: names, plates and phone numbers are Chinese.</summary>
    public bool Chinese => _chinese;

    /// <summary>The district's centre.</summary>
    public GeoPoint Centre { get; }

    /// <summary>The district's UTM projection.</summary>
    public UtmProjection Utm => _utm;

    /// <summary>The district's square in UTM metres.</summary>
    public UtmRect Box => _box;

    /// <summary>The river's course.</summary>
    public RiverModel River => _river;

    /// <summary>The river's name in the run's locale.</summary>
    public string RiverName { get; }

    /// <summary>The elevation model.</summary>
    public Terrain Terrain { get; }

    /// <summary>Half the river's width: how far the bank lies from the centreline.</summary>
    public double RiverClearance => _options.RiverWidthM / 2;

    /// <summary>A random point in <paramref name="area"/> at least <paramref name="clearance"/> metres beyond the river bank.</summary>
    public ProjectedPoint LandPoint(UtmRect area, double clearance)
    {
        ProjectedPoint p = area.Centre;
        for (int attempt = 0; attempt < 64; attempt++)
        {
            p = new ProjectedPoint(_random.Double(area.MinX, area.MaxX), _random.Double(area.MinY, area.MaxY));
            double needed = RiverClearance + clearance;
            if (_river.Distance(p, needed) > needed)
            {
                return p;
            }
        }

        // An area almost entirely under the river (a tiny grid on the channel): accept the last draw.
        return p;
    }

    /// <summary>A projected point as rounded WGS84.</summary>
    public GeoPoint ToGeo(ProjectedPoint p) => _utm.Inverse(p).Round(Decimals);

    /// <summary>The closed WGS84 ring of a projected rectangle, rounded.</summary>
    public GeoPoint[] RectRing(UtmRect rect)
    {
        Span<ProjectedPoint> ring = stackalloc ProjectedPoint[5];
        rect.Ring(ring);
        var geo = new GeoPoint[5];
        _utm.Inverse(ring, geo);
        for (int i = 0; i < geo.Length; i++)
        {
            geo[i] = geo[i].Round(Decimals);
        }

        return geo;
    }

    /// <summary>The published lon/lat box of the square: it holds every generated position.</summary>
    public GeoBox EnclosingBox()
    {
        // The square's edges bow slightly in lon/lat, so take the envelope of densely sampled edges and round it
        // outwards: every generated position must lie inside the published box.
        const int perEdge = 64;
        var edge = new ProjectedPoint[perEdge * 4];
        for (int i = 0; i < perEdge; i++)
        {
            double t = i / (double)perEdge;
            edge[i] = new ProjectedPoint(_box.MinX + (t * _box.Width), _box.MinY);
            edge[perEdge + i] = new ProjectedPoint(_box.MaxX, _box.MinY + (t * _box.Height));
            edge[(2 * perEdge) + i] = new ProjectedPoint(_box.MaxX - (t * _box.Width), _box.MaxY);
            edge[(3 * perEdge) + i] = new ProjectedPoint(_box.MinX, _box.MaxY - (t * _box.Height));
        }

        var geo = new GeoPoint[edge.Length];
        _utm.Inverse(edge, geo);
        GeoBox box = GeoBox.Enclosing(geo);
        const double scale = 1e7;
        return new GeoBox(
            Math.Floor(box.MinLon * scale) / scale, Math.Floor(box.MinLat * scale) / scale,
            Math.Ceiling(box.MaxLon * scale) / scale, Math.Ceiling(box.MaxLat * scale) / scale);
    }

    /// <summary>A band of <paramref name="depth"/> metres along a random edge of the square, inset by <paramref name="inset"/>.</summary>
    public UtmRect EdgeBand(double depth, double inset)
    {
        UtmRect inner = _box.Shrink(inset);
        double d = Math.Max(1, Math.Min(depth, inner.Width / 2));
        return _random.Number(0, 3) switch
        {
            0 => inner with { MaxY = inner.MinY + d },
            1 => inner with { MinY = inner.MaxY - d },
            2 => inner with { MaxX = inner.MinX + d },
            _ => inner with { MinX = inner.MaxX - d },
        };
    }

    /// <summary>A named contact with <paramref name="role"/> and a phone number.</summary>
    public Contact Person(string role) => new(Name(), role, Phone());

    /// <summary>A person's name in the run's locale.</summary>
    public string Name() => _chinese ? _faker.Name.LastName() + _faker.Name.FirstName() : _faker.Name.FullName();

    /// <summary>A phone number in the run's locale.</summary>
    public string Phone() =>
        _chinese ? _random.ArrayElement(MobilePrefixes) + _random.Replace("########") : _faker.Phone.PhoneNumber("###-###-####");

    /// <summary>A licence plate in the run's locale.</summary>
    public string Plate() =>
        _chinese
            ? "川A" + _random.ArrayElement(PlateLetters) + _random.Replace("####")
            : _random.Replace("???-####").ToUpperInvariant();

    /// <summary>A Poisson draw with mean <paramref name="mean"/>.</summary>
    public int Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        // Knuth's multiplication method: fine for the small per-building means used here (validated <= 50).
        double limit = Math.Exp(-mean);
        int k = 0;
        double product = _random.Double();
        while (product > limit)
        {
            k++;
            product *= _random.Double();
        }

        return k;
    }

    /// <summary>A standard normal draw.</summary>
    public double Gaussian()
    {
        // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
        double u1 = 1 - _random.Double();
        double u2 = _random.Double();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
