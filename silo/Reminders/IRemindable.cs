namespace CityTwin.Silo;

/// <summary>Implemented by grains that register reminders (Orleans: IRemindable).</summary>
public interface IRemindable : IGrain
{
    /// <summary>Called when the reminder named <paramref name="reminderName"/> is due; activates the grain if needed.</summary>
    Task ReceiveReminder(string reminderName, TickStatus status);
}
