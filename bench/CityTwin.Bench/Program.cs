using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(CityTwin.Bench.RuntimeBenchmarks).Assembly).Run(args);
