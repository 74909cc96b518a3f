namespace CityTwin.Silo;

/// <summary>Marker for grain interfaces (Orleans: Orleans.IGrain). Methods return Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
public interface IGrain;
