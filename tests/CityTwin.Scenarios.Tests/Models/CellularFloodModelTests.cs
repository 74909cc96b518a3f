using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Tests.Models;

// Invariants of the WCA2D-style model (Guidolin et al. 2016, Environmental Modelling & Software 84, 378-394):
// mass conservation, no uphill flow, no negative depth, no overshoot; plus SCS runoff (TR-55) as its source term.
public sealed class CellularFloodModelTests
{
    [Fact]
    public void A_flat_pond_stays_exactly_still()
    {
        var grid = new FloodGrid(20, 15, 10);
        Array.Fill(grid.InitialDepthM, 0.3);
        var model = new CellularFloodModel(grid);
        double[] before = model.DepthM.ToArray();
        for (int i = 0; i < 200; i++)
        {
            model.Route(60);
            Assert.All(model.LastSubstepFlowsM.ToArray(), f => Assert.Equal(0.0, f));
        }

        Assert.Equal(before, model.DepthM.ToArray());
    }

    // Benchmark idea: "lake at rest" (the still-water test of shallow-water schemes; Environment Agency 2D benchmarks,
    // Neelz and Pender 2013, report SC120002): a level surface over any bed must not move at all. Tolerance: exact.
    [Fact]
    public void A_lake_over_an_uneven_bed_with_a_flat_surface_stays_exactly_still()
    {
        var grid = new FloodGrid(25, 25, 20);
        var random = new Random(11);
        for (int i = 0; i < grid.CellCount; i++)
        {
            grid.ElevationM[i] = random.NextDouble() * 2;
            grid.InitialDepthM[i] = 3.0 - grid.ElevationM[i];
        }

        var model = new CellularFloodModel(grid);
        double[] before = model.DepthM.ToArray();
        model.Route(3600);
        Assert.Equal(before, model.DepthM.ToArray());
    }

    // Environment Agency 2D benchmark Test 1, "flooding a disconnected water body" (Neelz and Pender 2013, report
    // SC120002): water let into a basin rises over a ridge into a depression behind it; the test's check is the final
    // level in the depression, which follows from the volume that passed the crest. Here a 200 m basin (bed 0 m) gets
    // 8,000 m3 over an hour; a ridge at 1 m separates it from a 200 m depression (bed -1 m). At rest the basin stands at
    // the crest (holding 4,000 m3) and the depression holds the other 4,000 m3: level 0.0 m. Tolerance: 5 mm, the film
    // still draining over the crest after 12 h (Manning flow of a film slows as its depth to the 13/6).
    [Fact]
    public void A_disconnected_depression_fills_to_the_level_its_volume_gives()
    {
        var grid = new FloodGrid(41, 2, 10);
        for (int row = 0; row < 2; row++)
        {
            for (int col = 0; col < 41; col++)
            {
                grid.ElevationM[grid.IndexOf(col, row)] = col < 20 ? 0.0 : col == 20 ? 1.0 : -1.0;
            }
        }

        var model = new CellularFloodModel(grid);
        for (int minute = 0; minute < 60; minute++)
        {
            // 8,000 m3 in 60 minutes into the two cells at the basin's far end: 0.6667 m of depth each per minute.
            model.AddWater(grid.IndexOf(0, 0), 8000.0 / 60 / 200);
            model.AddWater(grid.IndexOf(0, 1), 8000.0 / 60 / 200);
            model.Route(60);
        }

        model.Route(11 * 3600);
        double[] levels = new double[grid.CellCount];
        model.CopyWaterLevels(levels);
        for (int row = 0; row < 2; row++)
        {
            for (int col = 0; col < 41; col++)
            {
                double level = levels[grid.IndexOf(col, row)];
                if (col < 20)
                {
                    Assert.InRange(level, 1.0, 1.005);
                }
                else if (col > 20)
                {
                    Assert.InRange(level, -0.005, 0.0 + 1e-9);
                }
            }
        }

        Assert.Equal(0.0, model.MassBalanceErrorM3, 1e-9 * 8000);
    }

    // Analytic case: kinematic-wave overland flow on a plane (Woolhiser and Liggett 1967; Chow, Maidment and Mays,
    // Applied Hydrology 1988, ch. 9): under steady rain excess i on a plane of slope S and Manning n, the equilibrium
    // depth x metres below the divide is h = (n i x / S^(1/2))^(3/5), reached after t_e = (n L / (S^(1/2) i^(2/3)))^(3/5)
    // (about 990 s here), and the outflow then equals the rain on the plane. A 300 m plane at S = 0.01, n = 0.03 under
    // 100 mm/h ends in a deep pit. Tolerances: outflow within 1 % of i L after an hour; depths within 5 % of the
    // analytic profile away from the divide and the brink (the model's flux uses the level difference, not the bed
    // slope, which the depth gradient changes by under 1 % here).
    [Fact]
    public void Rain_on_a_plane_reaches_the_kinematic_wave_equilibrium()
    {
        const int plane = 30;
        const double dx = 10, slope = 0.01, rainMmPerHour = 100, n = 0.03;
        var grid = new FloodGrid(plane + 1, 1, dx);
        for (int col = 0; col < plane; col++)
        {
            grid.ElevationM[col] = (plane - col) * dx * slope;
            grid.CurveNumber[col] = 100;
        }

        grid.ElevationM[plane] = -20;
        grid.CurveNumber[plane] = 100;
        var model = new CellularFloodModel(grid, new FloodModelOptions { ManningN = n });
        double rainPerStep = rainMmPerHour * 10 / 3600;
        double pitBefore = 0;
        for (int k = 1; k <= 360; k++)
        {
            model.Step(10, rainPerStep);
            if (k == 270)
            {
                pitBefore = model.DepthM[plane];
            }
        }

        double i = rainMmPerHour / 1000 / 3600;
        double inflowToPit = ((model.DepthM[plane] - pitBefore) * dx * dx / 900) - (i * dx * dx);
        Assert.Equal(i * plane * dx * dx, inflowToPit, 0.01 * i * plane * dx * dx);
        for (int col = 3; col < plane - 3; col++)
        {
            // A cell's outflow carries the rain of everything above its downstream face, so its depth is the analytic
            // depth there (the model's flux is upwind: the giver's depth).
            double x = (col + 1) * dx;
            double analytic = Math.Pow(n * i * x / Math.Sqrt(slope), 0.6);
            Assert.True(Math.Abs(model.DepthM[col] - analytic) <= 0.05 * analytic, $"x = {x} m: model {model.DepthM[col]:0.00000} m, analytic {analytic:0.00000} m");
        }
    }

    // River cells marked as channel cells take water from the land and give it back over the banks, but never pass it
    // along the channel or out across an open edge: that is the river model's work.
    [Fact]
    public void Channel_cells_exchange_with_the_land_only()
    {
        var grid = new FloodGrid(5, 3, 10);
        var channel = new bool[grid.CellCount];
        for (int col = 0; col < 5; col++)
        {
            grid.ElevationM[grid.IndexOf(col, 0)] = 1.0;
            grid.ElevationM[grid.IndexOf(col, 1)] = -(col * 0.5);
            grid.ElevationM[grid.IndexOf(col, 2)] = 1.0;
            channel[grid.IndexOf(col, 1)] = true;
        }

        grid.InitialDepthM[grid.IndexOf(0, 1)] = 3.0; // above the banks: spills onto the land beside it
        grid.InitialDepthM[grid.IndexOf(2, 0)] = 0.2; // land water runs into the channel cell below it
        var model = new CellularFloodModel(grid, new FloodModelOptions { OpenBoundary = true });
        model.SetChannelCells(channel);
        double fromLand = 0, ontoBanks = 0;
        for (double t = 0; t < 600;)
        {
            double before2 = model.DepthM[grid.IndexOf(2, 1)];
            t += model.RouteSubstep(600 - t);
            ReadOnlySpan<double> flows = model.LastSubstepFlowsM;
            for (int col = 0; col < 5; col++)
            {
                int f = 4 * grid.IndexOf(col, 1);
                Assert.Equal(0.0, flows[f + CellularFloodModel.East]);
                Assert.Equal(0.0, flows[f + CellularFloodModel.West]);
            }

            ontoBanks += flows[(4 * grid.IndexOf(0, 1)) + CellularFloodModel.North] + flows[(4 * grid.IndexOf(0, 1)) + CellularFloodModel.South];
            fromLand += Math.Max(0, model.DepthM[grid.IndexOf(2, 1)] - before2);
        }

        Assert.True(fromLand > 0.1, "land water reached the channel cell below it");
        Assert.True(ontoBanks > 0.5, "the full channel cell spilled onto its banks");
        Assert.Equal(0.0, model.MassBalanceErrorM3, 1e-9);
    }

    // A channel cell with an intake level (the river's stage behind flap-gated outfalls) takes land water only where the
    // land stands higher than that level, however low the channel cell's own water is.
    [Fact]
    public void A_channel_cell_takes_land_water_only_above_its_intake_level()
    {
        var grid = new FloodGrid(3, 1, 10);
        var channel = new bool[grid.CellCount];
        channel[1] = true;
        grid.ElevationM[1] = -2.0;
        grid.InitialDepthM[0] = 0.2; // land water at 0.2 m, beside a channel whose stage is 0.5 m
        grid.InitialDepthM[2] = 0.8; // land water at 0.8 m: above the stage, it runs in
        var model = new CellularFloodModel(grid, new FloodModelOptions());
        model.SetChannelCells(channel);
        model.SetIntakeLevel(1, 0.5);
        model.Route(600);

        Assert.Equal(0.2, model.DepthM[0], 12);
        Assert.True(model.DepthM[2] < 0.8 && model.DepthM[2] >= 0.5 - 1e-9, $"land beside at {model.DepthM[2]} m");
        Assert.Equal(0.0, model.MassBalanceErrorM3, 1e-9);
    }

    [Fact]
    public void A_column_of_water_on_flat_ground_spreads_to_a_level_surface()
    {
        var grid = new FloodGrid(15, 15, 10);
        grid.InitialDepthM[grid.IndexOf(7, 7)] = 2.25; // 1 cm over the whole box once level
        var model = new CellularFloodModel(grid);
        model.Route(6 * 3600);
        double expected = 2.25 / 225;
        Assert.All(model.DepthM.ToArray(), d => Assert.Equal(expected, d, 1e-4));
        Assert.Equal(0.0, model.MassBalanceErrorM3, 1e-9);
    }

    [Fact]
    public void A_slope_drains_to_its_foot()
    {
        // 30 columns falling 1 m per 10 m cell towards the east; a 10 mm film everywhere.
        var grid = new FloodGrid(30, 5, 10);
        for (int row = 0; row < 5; row++)
        {
            for (int col = 0; col < 30; col++)
            {
                grid.ElevationM[grid.IndexOf(col, row)] = 29 - col;
                grid.InitialDepthM[grid.IndexOf(col, row)] = 0.01;
            }
        }

        var model = new CellularFloodModel(grid);
        model.Route(4 * 3600);

        double foot = 0;
        double upslopeMax = 0;
        for (int row = 0; row < 5; row++)
        {
            for (int col = 0; col < 30; col++)
            {
                double d = model.DepthM[grid.IndexOf(col, row)];
                if (col == 29)
                {
                    foot += d;
                }
                else
                {
                    upslopeMax = Math.Max(upslopeMax, d);
                }
            }
        }

        // Films of a few times the 1e-5 m tolerance drain slowly (Manning velocity goes as d^2/3), so allow 0.5 %.
        double total = 30 * 5 * 0.01;
        Assert.True(foot >= 0.995 * total, $"foot holds {foot / total:P3}");
        Assert.True(upslopeMax < 1e-3, $"upslope depth {upslopeMax}");
        // The foot column is flat, so its water ends level: each cell holds a fifth.
        for (int row = 0; row < 5; row++)
        {
            Assert.Equal(foot / 5, model.DepthM[grid.IndexOf(29, row)], 1e-4);
        }

        Assert.Equal(0.0, model.MassBalanceErrorM3, 1e-9);
    }

    [Fact]
    public void Water_never_flows_uphill_never_goes_negative_and_never_overshoots()
    {
        var grid = RandomTerrain(25, 25, 15, seed: 3);
        var random = new Random(5);
        for (int i = 0; i < grid.CellCount; i++)
        {
            grid.InitialDepthM[i] = random.NextDouble() < 0.3 ? random.NextDouble() * 1.5 : 0.0;
        }

        var model = new CellularFloodModel(grid, new FloodModelOptions { OpenBoundary = true });
        int n = grid.CellCount;
        double[] before = new double[n];
        double[] after = new double[n];
        int moved = 0;
        for (int step = 0; step < 600; step++)
        {
            model.CopyWaterLevels(before);
            model.RouteSubstep(30);
            model.CopyWaterLevels(after);
            ReadOnlySpan<double> flows = model.LastSubstepFlowsM;
            for (int i = 0; i < n; i++)
            {
                Assert.True(model.DepthM[i] >= 0, $"negative depth {model.DepthM[i]} at {i}");
                int col = i % grid.Columns;
                int row = i / grid.Columns;
                for (int k = 0; k < 4; k++)
                {
                    double f = flows[(4 * i) + k];
                    Assert.True(f >= 0);
                    if (f == 0)
                    {
                        continue;
                    }

                    moved++;
                    int j = Neighbour(grid, col, row, k);
                    if (j < 0)
                    {
                        continue; // across the open edge
                    }

                    Assert.True(before[i] > before[j], $"step {step}: uphill flow {i}->{j}");
                    Assert.True(after[i] >= after[j] - 1e-12, $"step {step}: giver {i} ended {after[j] - after[i]} m below receiver {j}");
                }
            }
        }

        Assert.True(moved > 1000, "the test terrain should move plenty of water");
        Assert.True(Math.Abs(model.MassBalanceErrorM3) <= 1e-9 * model.InitialVolumeM3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Mass_is_conserved_over_a_long_storm_on_random_terrain(bool open)
    {
        var grid = RandomTerrain(40, 40, 25, seed: 17);
        var random = new Random(23);
        for (int i = 0; i < grid.CellCount; i++)
        {
            grid.CurveNumber[i] = 60 + (random.NextDouble() * 40);
            grid.DrainageCapacityMmPerHour[i] = random.NextDouble() < 0.2 ? 15 : 0;
        }

        var model = new CellularFloodModel(grid, new FloodModelOptions { OpenBoundary = open });
        model.Run(Hyetograph.RedRainstorm(), 60, 5 * 3600);

        double inflow = model.RunoffInflowM3;
        Assert.True(inflow > 0);
        Assert.True(model.DrainedM3 > 0);
        Assert.Equal(open, model.BoundaryOutflowM3 > 0);
        Assert.True(Math.Abs(model.MassBalanceErrorM3) <= 1e-10 * inflow, $"imbalance {model.MassBalanceErrorM3} m^3 of {inflow}");
        Assert.All(model.DepthM.ToArray(), d => Assert.True(d >= 0));
    }

    [Fact]
    public void Runoff_added_is_the_SCS_runoff_of_the_rainfall()
    {
        // TR-55: 5 in (127 mm) on CN 80 gives 2.893 in (73.48 mm) of runoff; on a flat closed grid it just stands.
        var grid = new FloodGrid(10, 10, 50);
        Array.Fill(grid.CurveNumber, 80.0);
        var model = new CellularFloodModel(grid);
        for (int i = 0; i < 10; i++)
        {
            model.Step(60, 12.7);
        }

        Assert.All(model.DepthM.ToArray(), d => Assert.Equal(ScsCurveNumber.RunoffMm(127, 80) / 1000, d, 1e-12));
        Assert.Equal(0.07348, model.DepthM[0], 1e-5);
    }

    [Fact]
    public void Drainage_removes_water_up_to_its_capacity()
    {
        var grid = new FloodGrid(8, 8, 50);
        Array.Fill(grid.CurveNumber, 100.0);
        Array.Fill(grid.DrainageCapacityMmPerHour, 30.0);
        var model = new CellularFloodModel(grid);
        // 60 mm/h of rain on CN 100 against 30 mm/h of drains leaves 30 mm after an hour.
        for (int i = 0; i < 60; i++)
        {
            model.Step(60, 1.0);
        }

        Assert.All(model.DepthM.ToArray(), d => Assert.Equal(0.030, d, 1e-9));
        Assert.Equal(0.030 * 64 * 2500, model.DrainedM3, 1e-6);
        Assert.Equal(0.0, model.MassBalanceErrorM3, 1e-9);
    }

    [Fact]
    public void Open_edges_let_water_leave_and_count_it()
    {
        var grid = new FloodGrid(20, 3, 10);
        for (int row = 0; row < 3; row++)
        {
            for (int col = 0; col < 20; col++)
            {
                grid.ElevationM[grid.IndexOf(col, row)] = (19 - col) * 0.2;
                grid.InitialDepthM[grid.IndexOf(col, row)] = 0.05;
            }
        }

        var model = new CellularFloodModel(grid, new FloodModelOptions { OpenBoundary = true });
        model.Route(6 * 3600);
        Assert.True(model.StoredVolumeM3 < 0.01 * model.InitialVolumeM3);
        Assert.Equal(model.InitialVolumeM3, model.StoredVolumeM3 + model.BoundaryOutflowM3, 1e-9);
    }

    [Fact]
    public void Threshold_crossing_times_are_recorded()
    {
        // 12 mm per minute on CN 100: 0.144 m after 12 minutes, 0.156 m after 13; 0.492 m after 41, 0.504 m after 42.
        var grid = new FloodGrid(5, 5, 10);
        Array.Fill(grid.CurveNumber, 100.0);
        var model = new CellularFloodModel(grid);
        for (int i = 0; i < 45; i++)
        {
            model.Step(60, 12);
        }

        Assert.Equal([0.15, 0.5], model.DepthThresholdsM);
        Assert.All(model.FirstTimeAboveSeconds(0).ToArray(), t => Assert.Equal(13 * 60, t));
        Assert.All(model.FirstTimeAboveSeconds(1).ToArray(), t => Assert.Equal(42 * 60, t));
        Assert.All(model.MaxDepthM.ToArray(), d => Assert.Equal(0.54, d, 1e-9));
    }

    [Fact]
    public void A_six_hour_storm_on_a_small_grid_completes()
    {
        var grid = RandomTerrain(60, 50, 30, seed: 101);
        Array.Fill(grid.CurveNumber, 90.0);
        Array.Fill(grid.DrainageCapacityMmPerHour, 10.0);
        var storm = Hyetograph.Chicago(150, TimeSpan.FromHours(6), TimeSpan.FromMinutes(10));
        var model = new CellularFloodModel(grid);
        model.Run(storm, 60, storm.DurationSeconds);

        Assert.Equal(6 * 3600, model.ElapsedSeconds, 1e-6);
        Assert.Equal(150, model.CumulativeRainfallMm, 1e-9);
        double[] max = model.MaxDepthM.ToArray();
        Assert.True(max.Max() > 0.5, "pits should flood");
        for (int k = 0; k < 2; k++)
        {
            double threshold = model.DepthThresholdsM[k];
            double[] first = model.FirstTimeAboveSeconds(k).ToArray();
            for (int i = 0; i < max.Length; i++)
            {
                // A crossing time exists exactly where the maximum reached the threshold.
                Assert.Equal(max[i] >= threshold, !double.IsNaN(first[i]));
            }
        }

        Assert.True(Math.Abs(model.MassBalanceErrorM3) <= 1e-10 * model.RunoffInflowM3);
    }

    // Smooth hills and pits from a few sine waves plus noise, seeded.
    private static FloodGrid RandomTerrain(int columns, int rows, double cellSize, int seed)
    {
        var grid = new FloodGrid(columns, rows, cellSize);
        var random = new Random(seed);
        double p1 = random.NextDouble() * 6;
        double p2 = random.NextDouble() * 6;
        for (int row = 0; row < rows; row++)
        {
            for (int col = 0; col < columns; col++)
            {
                grid.ElevationM[grid.IndexOf(col, row)] =
                    (3 * Math.Sin((col * 0.31) + p1) * Math.Cos((row * 0.23) + p2))
                    + (0.02 * col)
                    + (random.NextDouble() * 0.4);
            }
        }

        return grid;
    }

    private static int Neighbour(FloodGrid grid, int col, int row, int direction)
    {
        (int c, int r) = direction switch
        {
            CellularFloodModel.East => (col + 1, row),
            CellularFloodModel.West => (col - 1, row),
            CellularFloodModel.North => (col, row - 1),
            _ => (col, row + 1),
        };
        return c < 0 || r < 0 || c >= grid.Columns || r >= grid.Rows ? -1 : grid.IndexOf(c, r);
    }
}
