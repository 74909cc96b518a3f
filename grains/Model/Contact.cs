using Orleans;

namespace CityTwin.Grains.Model;

/// <summary>A person to notify: a resident's family member, a grid worker, a community or street official.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
[Immutable]
public sealed record Contact(string Name, string Role, string Phone);
