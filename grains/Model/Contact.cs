namespace CityTwin.Grains.Model;

/// <summary>A person to notify: a resident's family member, a grid worker, a community or street official.</summary>
public sealed record Contact(string Name, string Role, string Phone);
