// Loads the configured checkpoint on the model thread, or the default model when none is configured, and
// tells the user how it went: $/progress while it loads (when the client supports it), window/showMessage
// when it fails or there is no model at all, and window/logMessage when it is ready. A failure leaves the
// server running with no model.
using CharRnnCode.Completion.Modeling;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Features.Lifecycle;

public static class CheckpointLoader
{
    public static Task<ModelStatus> Start(ServerContext context)
    {
        var settings = context.Settings;
        var loading = LoadAsync(context, settings.Checkpoint ?? settings.DefaultCheckpoint, settings.Checkpoint is null && settings.DefaultCheckpoint is not null,
            settings.Device, settings.Threads);
        context.Loading = loading;
        return loading;
    }

    private static async Task<ModelStatus> LoadAsync(ServerContext context, string? checkpoint, bool defaultModel, string device, int? threads)
    {
        if (checkpoint is null)
        {
            var none = await context.Model.LoadAsync(null, device, threads);
            await context.ShowMessageAsync(MessageType.Warning,
                "CharRnnCode: no checkpoint is configured, so no completions will be offered. " +
                "Set charRnnCode.checkpoint (VS Code) or initializationOptions.checkpoint to a file written by `charrnn train` (or start the server with --checkpoint).");
            return none;
        }

        context.Log.Info(defaultModel ? $"no checkpoint is configured: loading the default model {checkpoint}" : $"loading checkpoint {checkpoint}");
        // Started before the progress token is asked for, so that the status says "loading" while the client answers.
        var loading = context.Model.LoadAsync(checkpoint, device, threads, defaultModel);
        var token = $"charrnn-load-{Guid.NewGuid():N}";
        var progress = context.ClientSupportsProgress && await context.CreateProgressAsync(token);
        if (progress)
            await context.NotifyAsync(Methods.Progress, new ProgressParams<WorkDoneProgressBegin>(token, new WorkDoneProgressBegin("CharRnnCode", $"Loading {Path.GetFileName(checkpoint)}")));
        var status = await loading;
        if (status.State == ModelState.Ready)
        {
            context.Log.Info($"loaded {status.Description} in {status.LoadMs:F0} ms");
            await context.LogMessageAsync(MessageType.Info, defaultModel
                ? $"CharRnnCode: no checkpoint is configured, so the default model that ships with the server is served ({status.Description}, loaded in {status.LoadMs:F0} ms). " +
                  "For a model of your own code, train one (`charrnn quickstart`, or Train on This Workspace) and set charRnnCode.checkpoint (VS Code) or initializationOptions.checkpoint."
                : $"CharRnnCode: loaded {checkpoint} ({status.Description}) in {status.LoadMs:F0} ms.");
        }
        else
        {
            context.Log.Error($"checkpoint not loaded: {status.Error}");
            await context.ShowMessageAsync(MessageType.Error, $"CharRnnCode could not load the {(defaultModel ? "default model" : "checkpoint")}: {status.Error} Completions are off until a " +
                $"checkpoint loads.");
        }
        if (progress)
            await context.NotifyAsync(Methods.Progress, new ProgressParams<WorkDoneProgressEnd>(token,
                new WorkDoneProgressEnd(status.State == ModelState.Ready ? $"Ready: {status.Description}" : "Failed")));
        return status;
    }
}
