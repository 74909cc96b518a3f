namespace CityTwin.Scenarios.District;

/// <summary>
/// Parameters of the seeded district generator. Counts left null scale with the district: emergency
/// vehicles with the number of buildings, streets, sites and gauges with the area.
/// </summary>
public sealed record DistrictOptions
{
    /// <summary>Seed of every random choice; the same options give byte-identical output.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>District display name.</summary>
    public string Name { get; init; } = "Jinjiang demo district";

    /// <summary>Longitude of the district centre (default: central Chengdu).</summary>
    public double CentreLon { get; init; } = 104.0657;

    /// <summary>Latitude of the district centre.</summary>
    public double CentreLat { get; init; } = 30.6595;

    /// <summary>Edge of the square district in km, measured in the UTM zone of the centre.</summary>
    public double SizeKm { get; init; } = 5;

    /// <summary>Raster cell edge in metres; must divide the district edge exactly.</summary>
    public double CellSizeM { get; init; } = 100;

    /// <summary>Number of buildings.</summary>
    public int Buildings { get; init; } = 2000;

    /// <summary>Share of residents of homes (residential buildings) aged 60 or over; care homes are mostly elderly regardless.</summary>
    public double ElderlyShare { get; init; } = 0.19;

    /// <summary>Bogus locale for names and phone numbers, e.g. <c>zh_CN</c> or <c>en</c>.</summary>
    public string Locale { get; init; } = "zh_CN";

    /// <summary>River channel width in metres.</summary>
    public double RiverWidthM { get; init; } = 60;

    /// <summary>Streets (subdistricts); null scales with area (one per ~6 km²).</summary>
    public int? Streets { get; init; }

    /// <summary>Communities in each street.</summary>
    public int CommunitiesPerStreet { get; init; } = 5;

    /// <summary>Governance grids in each community.</summary>
    public int GridsPerCommunity { get; init; } = 6;

    /// <summary>Grid workers (responders) per grid.</summary>
    public int RespondersPerGrid { get; init; } = 2;

    /// <summary>Home sensors per building by kind.</summary>
    public HomeSensorMix HomeSensors { get; init; } = new();

    /// <summary>Street sensor densities.</summary>
    public StreetSensorMix StreetSensors { get; init; } = new();

    /// <summary>Patrol cars; null means one per 250 buildings (at least 2).</summary>
    public int? PatrolCars { get; init; }

    /// <summary>Fire engines; null means one per 1,000 buildings (at least 2).</summary>
    public int? FireEngines { get; init; }

    /// <summary>Ambulances; null means one per 600 buildings (at least 2).</summary>
    public int? Ambulances { get; init; }

    /// <summary>Muck trucks; null means three per construction site.</summary>
    public int? MuckTrucks { get; init; }

    /// <summary>River gauges; null means one per 1.6 km of district edge (at least 2).</summary>
    public int? RiverGauges { get; init; }

    /// <summary>Construction sites; null means one per 4 km² (at least 2).</summary>
    public int? ConstructionSites { get; init; }

    /// <summary>Disposal points; null means one per 12 km² (at least 1).</summary>
    public int? DisposalPoints { get; init; }

    /// <summary>Checkpoints; null means one per 5 km² (at least 2).</summary>
    public int? Checkpoints { get; init; }

    /// <summary>District area in km².</summary>
    public double AreaKm2() => SizeKm * SizeKm;

    /// <summary>Resolved number of streets.</summary>
    public int StreetCount() => Streets ?? Math.Max(1, (int)Math.Round(AreaKm2() / 6));

    /// <summary>Resolved number of governance grids.</summary>
    public int GridCount() => StreetCount() * CommunitiesPerStreet * GridsPerCommunity;

    /// <summary>Resolved number of patrol cars.</summary>
    public int PatrolCarCount() => PatrolCars ?? Math.Max(2, (int)Math.Ceiling(Buildings / 250.0));

    /// <summary>Resolved number of fire engines.</summary>
    public int FireEngineCount() => FireEngines ?? Math.Max(2, (int)Math.Ceiling(Buildings / 1000.0));

    /// <summary>Resolved number of ambulances.</summary>
    public int AmbulanceCount() => Ambulances ?? Math.Max(2, (int)Math.Ceiling(Buildings / 600.0));

    /// <summary>Resolved number of construction sites.</summary>
    public int ConstructionSiteCount() => ConstructionSites ?? Math.Max(2, (int)Math.Round(AreaKm2() / 4));

    /// <summary>Resolved number of muck trucks.</summary>
    public int MuckTruckCount() => MuckTrucks ?? (3 * ConstructionSiteCount());

    /// <summary>Resolved number of disposal points.</summary>
    public int DisposalPointCount() => DisposalPoints ?? Math.Max(1, (int)Math.Round(AreaKm2() / 12));

    /// <summary>Resolved number of checkpoints.</summary>
    public int CheckpointCount() => Checkpoints ?? Math.Max(2, (int)Math.Round(AreaKm2() / 5));

    /// <summary>Resolved number of river gauges.</summary>
    public int RiverGaugeCount() => RiverGauges ?? Math.Max(2, (int)Math.Round(SizeKm / 1.6));

    /// <summary>Resolved number of fire stations (one per ~10 km², at least 1).</summary>
    public int FireStationCount() => Math.Max(1, (int)Math.Round(AreaKm2() / 10));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        Require(SizeKm is >= 0.5 and <= 100, nameof(SizeKm), "must be between 0.5 and 100 km");
        Require(CellSizeM is >= 10 and <= 1000, nameof(CellSizeM), "must be between 10 and 1,000 m");
        double cells = SizeKm * 1000 / CellSizeM;
        Require(Math.Abs(cells - Math.Round(cells)) < 1e-6, nameof(CellSizeM), $"must divide the district edge ({SizeKm * 1000} m) exactly");
        Require(CentreLon is >= -180 and <= 180, nameof(CentreLon), "must be within [-180, 180]");
        Require(CentreLat is >= -79 and <= 83, nameof(CentreLat), "must be within UTM's range [-79, 83]");
        Require(Buildings is >= 0 and <= 5_000_000, nameof(Buildings), "must be between 0 and 5,000,000");
        Require(ElderlyShare is >= 0 and <= 1, nameof(ElderlyShare), "must be a fraction between 0 and 1");
        Require(RiverWidthM is >= 5 and <= 500, nameof(RiverWidthM), "must be between 5 and 500 m");
        Require(StreetCount() is >= 1 and <= 1000, nameof(Streets), "must be between 1 and 1,000");
        Require(CommunitiesPerStreet is >= 1 and <= 100, nameof(CommunitiesPerStreet), "must be between 1 and 100");
        Require(GridsPerCommunity is >= 1 and <= 100, nameof(GridsPerCommunity), "must be between 1 and 100");
        Require(RespondersPerGrid is >= 0 and <= 100, nameof(RespondersPerGrid), "must be between 0 and 100");
        Require(!string.IsNullOrWhiteSpace(Locale), nameof(Locale), "must name a Bogus locale such as zh_CN or en");
        Require(HomeSensors is not null && StreetSensors is not null, nameof(HomeSensors), "sensor mixes must not be null");
        foreach ((string name, int? value) in new[]
                 {
                     (nameof(PatrolCars), PatrolCars), (nameof(FireEngines), FireEngines), (nameof(Ambulances), Ambulances),
                     (nameof(MuckTrucks), MuckTrucks), (nameof(RiverGauges), RiverGauges), (nameof(ConstructionSites), ConstructionSites),
                     (nameof(DisposalPoints), DisposalPoints), (nameof(Checkpoints), Checkpoints),
                 })
        {
            Require(value is null or (>= 0 and <= 1_000_000), name, "must be between 0 and 1,000,000");
        }

        foreach ((string name, double value) in new[]
                 {
                     ("HomeSensors.Gas", HomeSensors!.Gas), ("HomeSensors.Smoke", HomeSensors.Smoke),
                     ("HomeSensors.CarbonMonoxide", HomeSensors.CarbonMonoxide), ("HomeSensors.SosButton", HomeSensors.SosButton),
                     ("HomeSensors.WaterMeter", HomeSensors.WaterMeter), ("StreetSensors.RainPerKm2", StreetSensors!.RainPerKm2),
                     ("StreetSensors.WindPerKm2", StreetSensors.WindPerKm2), ("StreetSensors.AirPressurePerKm2", StreetSensors.AirPressurePerKm2),
                     ("StreetSensors.SoilMoisturePerKm2", StreetSensors.SoilMoisturePerKm2), ("StreetSensors.Pm10PerKm2", StreetSensors.Pm10PerKm2),
                     ("StreetSensors.ParkingPerBuilding", StreetSensors.ParkingPerBuilding), ("StreetSensors.AiCamerasPerGrid", StreetSensors.AiCamerasPerGrid),
                 })
        {
            // Poisson sampling by multiplication underflows for large means; 50 per building is far beyond any real mix.
            Require(value is >= 0 and <= 50, name, "must be between 0 and 50");
        }
    }

    private static void Require(bool condition, string option, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"District option {option} {rule}.", option);
        }
    }
}
