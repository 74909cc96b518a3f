using CityTwin.Silo;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Grains.Twin;

/// <summary>Adds the twin's grains and per-silo services (read model, alert bus) to a silo.</summary>
public static class TwinSiloBuilderExtensions
{
    /// <summary>Adds every grain class of the grains assembly and the twin's services.</summary>
    public static SiloBuilder AddTwin(this SiloBuilder builder) => builder
        .AddGrains(typeof(GrainsAssembly).Assembly)
        .ConfigureServices(services =>
        {
            services.AddSingleton<TwinDirectory>();
            services.AddSingleton<AlertBus>();
            services.AddSingleton(_ => Cases.CaseCatalogue.LoadDefault());
            services.AddSingleton<Cases.CaseIndex>();
            services.AddSingleton<Cases.CasePlaceLocator>();
            services.AddSingleton<Cases.DispatchPlanner>();
            services.AddSingleton<Cases.CaseIntake>();
            services.AddSingleton<GeofenceRegistry>();
            services.AddSingleton<CityTwin.Grains.Rules.MuckTruckOptions>();
        });
}
