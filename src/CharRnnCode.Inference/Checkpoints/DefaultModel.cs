// Where the default model is: charrnn-default.ckpt beside the program that runs (the builds of the
// server and of charrnn copy it there from server/CharRnnCode.Server/DefaultModel/). A 2x256 LSTM
// trained on permissively licensed C# (corpora/csharp-default.json), exported for inference. The server
// serves it when no checkpoint is configured; the quickstart fine-tunes it. It does not load the file.
namespace CharRnnCode.Inference.Checkpoints;

public static class DefaultModel
{
    public const string FileName = "charrnn-default.ckpt";

    /// <summary>The default model beside the running program, or null when this build has none.</summary>
    public static string? BesideProgram()
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        return File.Exists(path) ? path : null;
    }
}
