using System.Globalization;

namespace CityTwin.Silo.Runtime;

/// <summary>The silo's grain factory: references are cheap proxies; nothing is activated until the first call.</summary>
internal sealed class GrainFactory(Silo silo) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(primaryKey);
        return (TGrainInterface)(object)silo.GetReference(typeof(TGrainInterface), primaryKey);
    }

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey) where TGrainInterface : IGrainWithGuidKey =>
        (TGrainInterface)(object)silo.GetReference(typeof(TGrainInterface), primaryKey.ToString("D"));

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey) where TGrainInterface : IGrainWithIntegerKey =>
        (TGrainInterface)(object)silo.GetReference(typeof(TGrainInterface), primaryKey.ToString(CultureInfo.InvariantCulture));
}
