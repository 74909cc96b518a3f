using System.Reflection;
using CityTwin.Silo.Reminders;
using CityTwin.Silo.Storage;
using CityTwin.Silo.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CityTwin.Silo;

/// <summary>Configures and builds a <see cref="Silo"/>: grain classes, storage, reminders, clock, logging, services.</summary>
public sealed class SiloBuilder
{
    private readonly List<Type> _grainClasses = [];
    private readonly SiloOptions _options = new();
    private readonly List<Action<IServiceCollection>> _configureServices = [];
    private IGrainStorage? _storage;
    private IReminderTable? _reminders;
    private TimeProvider _time = TimeProvider.System;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;

    /// <summary>Adds every concrete grain class in <paramref name="assembly"/>.</summary>
    public SiloBuilder AddGrains(Assembly assembly)
    {
        _grainClasses.AddRange(assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(Grain).IsAssignableFrom(t)));
        return this;
    }

    /// <summary>Adds one grain class.</summary>
    public SiloBuilder AddGrain<TGrain>() where TGrain : Grain
    {
        _grainClasses.Add(typeof(TGrain));
        return this;
    }

    /// <summary>Uses a storage provider for grain state (default: a fresh in-memory store). The caller owns it.</summary>
    public SiloBuilder UseStorage(IGrainStorage storage)
    {
        _storage = storage;
        return this;
    }

    /// <summary>Uses a reminder table (default: a fresh in-memory table). The caller owns it.</summary>
    public SiloBuilder UseReminderTable(IReminderTable reminders)
    {
        _reminders = reminders;
        return this;
    }

    /// <summary>Uses storage and reminders of an opened store.</summary>
    public SiloBuilder UseStore(SiloStore store) => UseStorage(store.Storage).UseReminderTable(store.Reminders);

    /// <summary>Uses a clock (default: system time; a <see cref="VirtualTimeProvider"/> for simulated time).</summary>
    public SiloBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        _time = timeProvider;
        return this;
    }

    /// <summary>Uses a logger factory (default: no logging).</summary>
    public SiloBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Changes options.</summary>
    public SiloBuilder Configure(Action<SiloOptions> configure)
    {
        configure(_options);
        return this;
    }

    /// <summary>Registers services grains are constructed with.</summary>
    public SiloBuilder ConfigureServices(Action<IServiceCollection> configure)
    {
        _configureServices.Add(configure);
        return this;
    }

    /// <summary>Builds the silo (not yet started).</summary>
    public Silo Build()
    {
        return new Silo(_options, _grainClasses, _storage ?? new MemoryGrainStorage(_time), _reminders ?? new MemoryReminderTable(),
            _time, _loggerFactory, silo =>
            {
                var services = new ServiceCollection();
                services.AddSingleton(_loggerFactory);
                services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
                services.AddSingleton(silo);
                services.AddSingleton(silo.GrainFactory);
                services.AddSingleton(silo.TimeProvider);
                services.AddSingleton<IStreamProvider>(silo.Streams);
                foreach (Action<IServiceCollection> configure in _configureServices)
                {
                    configure(services);
                }

                return services.BuildServiceProvider();
            });
    }
}
