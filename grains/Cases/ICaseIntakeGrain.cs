using CityTwin.Grains.Model;
using Orleans;

namespace CityTwin.Grains.Cases;

/// <summary>
/// De-duplicates sensor alerts of one building and category (key: "{building or entity}|{category}"): an alert within
/// the catalogue's window of the previous one joins the open case; otherwise it opens a new case.
/// </summary>
public interface ICaseIntakeGrain : IGrainWithStringKey
{
    /// <summary>Turns an alert into a case (new or joined); returns the case id.</summary>
    Task<string> AcceptAsync(Alert alert, string category);
}
