using CityTwin.Silo.Reminders;

namespace CityTwin.Silo.Runtime;

/// <summary>A reminder tick delivered to a grain; when handled, the reminder arms its next tick.</summary>
internal sealed class ReminderTick(string name, TickStatus status, object reminder, GrainId target) : Message
{
    private int _done;

    public override bool HasCaller => false;

    public override bool IsAnswered => Volatile.Read(ref _done) != 0;

    public override string Describe() => $"reminder '{name}' on {target}";

    public override Task Invoke(Grain grain) => ((IRemindable)grain).ReceiveReminder(name, status);

    public override void Complete(Task invoked)
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            ReminderService.Handled(reminder, invoked.Exception?.GetBaseException());
        }
    }

    public override void Fail(Exception error)
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            ReminderService.Handled(reminder, error);
        }
    }
}
