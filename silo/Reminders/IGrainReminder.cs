namespace CityTwin.Silo;

/// <summary>A registered reminder (Orleans: IGrainReminder).</summary>
public interface IGrainReminder
{
    /// <summary>The reminder's name, unique per grain.</summary>
    string ReminderName { get; }
}
