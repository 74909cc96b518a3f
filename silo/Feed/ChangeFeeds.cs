using CityTwin.Silo.Quiescence;
using Microsoft.Extensions.Logging;

namespace CityTwin.Silo.Feed;

/// <summary>Makes the silo's change feeds with its buffer size, logger and (in a settling silo) work tracker.</summary>
public sealed class ChangeFeeds(SiloOptions options, ILoggerFactory loggerFactory, WorkTracker? tracker = null)
{
    /// <summary>A new feed named <paramref name="name"/>.</summary>
    public ChangeFeed<T> Create<T>(string name) =>
        new(name, options.FeedBufferPerSubscriber, loggerFactory.CreateLogger("CityTwin.Silo.Feed." + name), tracker);
}
