using System.Text;
using CityTwin.Grains.Cases;
using CityTwin.TestSupport;

namespace CityTwin.Grains.Tests.Cases;

/// <summary>The category catalogue is data: the shipped file loads, and a wrong file is refused with a reason.</summary>
public sealed class CaseCatalogueTests
{
    [Fact]
    public void The_shipped_catalogue_maps_the_sensor_rules_alert_kinds_to_categories()
    {
        CaseCatalogue catalogue = CaseCatalogue.LoadFile(RepositoryRoot.Combine("grains", "Cases", "catalogue.json"));

        foreach (string kind in new[] { Rules.AlertKinds.Gas, Rules.AlertKinds.Smoke, Rules.AlertKinds.CarbonMonoxide, Rules.AlertKinds.Sos, Rules.AlertKinds.Welfare, "muck-truck-violation" })
        {
            Assert.NotNull(catalogue.ForAlertKind(kind));
        }

        Assert.Null(catalogue.ForAlertKind(Rules.AlertKinds.RiverTier));
        CaseCategory muck = catalogue.Find("muck-truck-violation")!;
        Assert.Equal(["city-management-enforcement", "construction"], muck.Dispatch.Select(u => u.Department));
        Assert.Equal(TimeSpan.FromMinutes(5), catalogue.Find("gas-leak")!.SlaFor(CaseStatus.Dispatched));
    }

    [Theory]
    [InlineData("""{"categories":[{"id":"x","department":"d","sla":{"closed":"01:00:00"}}]}""", "closed")]
    [InlineData("""{"categories":[{"id":"x","department":"d","dispatch":[{"type":"boat"}]}]}""", "dispatch")]
    [InlineData("""{"categories":[{"id":"x","department":"d","alertKinds":["gas"]},{"id":"y","department":"d","alertKinds":["gas"]}]}""", "gas")]
    [InlineData("""{"networkFactor":0.5,"categories":[{"id":"x","department":"d"}]}""", "networkFactor")]
    public void A_catalogue_with_a_mistake_is_refused_naming_it(string json, string named)
    {
        var e = Assert.Throws<InvalidDataException>(() => CaseCatalogue.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains(named, e.Message);
    }
}
