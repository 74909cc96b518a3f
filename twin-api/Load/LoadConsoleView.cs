using Spectre.Console;

namespace CityTwin.TwinApi.Load;

/// <summary>
/// Live progress of a run's phases: a Spectre.Console progress bar per phase on a terminal, or a plain status line every
/// two seconds when output is redirected (CI logs, tests), where cursor movement would be noise.
/// </summary>
public sealed class LoadConsoleView(TextWriter output, bool interactive)
{
    /// <summary>Runs <paramref name="work"/>, showing <paramref name="status"/> (text and fraction done, 0-1) until it completes.</summary>
    public async Task<T> RunPhaseAsync<T>(string title, Func<Task<T>> work, Func<(string Text, double Fraction)> status)
    {
        if (!interactive)
        {
            await output.WriteLineAsync($"[{title}] started");
            Task<T> running = work();
            while (await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(2))) != running)
            {
                await output.WriteLineAsync($"[{title}] {status().Text}");
            }

            T result = await running;
            await output.WriteLineAsync($"[{title}] done: {status().Text}");
            return result;
        }

        return await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                ProgressTask task = ctx.AddTask(Markup.Escape(title), maxValue: 1.0);
                Task<T> running = work();
                while (await Task.WhenAny(running, Task.Delay(250)) != running)
                {
                    Update(task, title, status());
                }

                Update(task, title, status());
                task.Value = 1.0;
                return await running;
            });
    }

    /// <summary>Runs <paramref name="work"/> as a phase without a result.</summary>
    public Task RunPhaseAsync(string title, Func<Task> work, Func<(string Text, double Fraction)> status) =>
        RunPhaseAsync(title, async () =>
        {
            await work();
            return true;
        }, status);

    /// <summary>Writes a line.</summary>
    public void Line(string text) => output.WriteLine(text);

    private static void Update(ProgressTask task, string title, (string Text, double Fraction) s)
    {
        task.Description = Markup.Escape($"{title}: {s.Text}");
        task.Value = Math.Clamp(s.Fraction, 0, 1);
    }
}
