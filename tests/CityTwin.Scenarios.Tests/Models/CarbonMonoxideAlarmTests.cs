using CityTwin.Scenarios.Models;

namespace CityTwin.Scenarios.Tests.Models;

// Source: EN 50291-1 (electrical apparatus for the detection of carbon monoxide in domestic premises), alarm
// response: 30 ppm no alarm within 120 min; 50 ppm between 60 and 90 min; 100 ppm between 10 and 40 min;
// 300 ppm within 3 min.
public sealed class CarbonMonoxideAlarmTests
{
    [Theory]
    [InlineData(10, CarbonMonoxideAlarmLevel.None)]
    [InlineData(30, CarbonMonoxideAlarmLevel.Ppm30)]
    [InlineData(49.9, CarbonMonoxideAlarmLevel.Ppm30)]
    [InlineData(50, CarbonMonoxideAlarmLevel.Ppm50)]
    [InlineData(150, CarbonMonoxideAlarmLevel.Ppm100)]
    [InlineData(300, CarbonMonoxideAlarmLevel.Ppm300)]
    [InlineData(5000, CarbonMonoxideAlarmLevel.Ppm300)]
    public void Classifies_by_the_test_levels(double ppm, CarbonMonoxideAlarmLevel expected)
    {
        Assert.Equal(expected, CarbonMonoxideAlarm.Classify(ppm));
    }

    [Fact]
    public void Response_windows_are_those_of_the_standard()
    {
        CarbonMonoxideAlarm.ResponseWindow(CarbonMonoxideAlarmLevel.Ppm50, out TimeSpan notBefore, out TimeSpan by);
        Assert.Equal(TimeSpan.FromMinutes(60), notBefore);
        Assert.Equal(TimeSpan.FromMinutes(90), by);
        CarbonMonoxideAlarm.ResponseWindow(CarbonMonoxideAlarmLevel.Ppm100, out notBefore, out by);
        Assert.Equal(TimeSpan.FromMinutes(10), notBefore);
        Assert.Equal(TimeSpan.FromMinutes(40), by);
        CarbonMonoxideAlarm.ResponseWindow(CarbonMonoxideAlarmLevel.Ppm30, out notBefore, out _);
        Assert.Equal(TimeSpan.FromMinutes(120), notBefore);
    }

    [Fact]
    public void Alarm_is_required_only_after_the_window_closes()
    {
        Assert.True(CarbonMonoxideAlarm.AlarmRequired(300, TimeSpan.FromMinutes(3)));
        Assert.False(CarbonMonoxideAlarm.AlarmRequired(300, TimeSpan.FromMinutes(2)));
        Assert.True(CarbonMonoxideAlarm.AlarmRequired(120, TimeSpan.FromMinutes(45)));
        Assert.False(CarbonMonoxideAlarm.AlarmRequired(60, TimeSpan.FromMinutes(80)));
        Assert.False(CarbonMonoxideAlarm.AlarmRequired(35, TimeSpan.FromHours(10)));
    }
}
