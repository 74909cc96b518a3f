namespace CityTwin.Scenarios.District;

/// <summary>A person to notify: area staff, a building manager or an elderly resident's family.</summary>
/// <param name="Name">Full name.</param>
/// <param name="Role">Role in camelCase, e.g. <c>director</c>, <c>gridLeader</c>, <c>propertyManager</c>, <c>family</c>.</param>
/// <param name="Phone">Phone number as dialled locally.</param>
public sealed record Contact(string Name, string Role, string Phone);
