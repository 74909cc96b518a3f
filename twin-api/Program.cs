using CityTwin.TwinApi.Cli;

return await CityTwinCli.RunAsync(args);
