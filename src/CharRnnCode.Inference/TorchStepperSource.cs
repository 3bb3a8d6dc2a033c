// How inference reaches the TorchSharp stepper without referencing TorchSharp: the stepper lives in
// CharRnnCode.Model (the training assembly), which a lean program such as the language server does not
// ship. It is looked up by name only when a GPU or the torch stepper is asked for, so a program that
// serves on the CPU never loads CharRnnCode.Model, TorchSharp or libtorch. It does not load weights itself.
using CharRnnCode.Inference.Checkpoints;

namespace CharRnnCode.Inference;

/// <summary>Implemented once, in CharRnnCode.Model, by a class with a public parameterless constructor.</summary>
public interface ITorchStepperSource
{
    /// <summary>Whether this is the CUDA build of the torch path (dotnet build -p:TorchBackend=cuda); answering loads no TorchSharp.</summary>
    bool IsCudaBuild { get; }

    /// <summary>Whether a CUDA device can be used now (loads libtorch).</summary>
    bool CudaAvailable();

    /// <summary>A stepper over the checkpoint's weights on <paramref name="device"/> (auto, cpu or cuda[:N]), and its name, e.g. "torch (cuda)".</summary>
    (IRecurrentStepper Stepper, string Name) Create(Checkpoint checkpoint, string device, int? threads);
}

public static class TorchStepperSource
{
    /// <summary>The implementation's assembly-qualified name.</summary>
    public const string TypeName = "CharRnnCode.Model.TorchSteppers, CharRnnCode.Model";

    /// <summary>The torch path when this program ships it (CharRnnCode.Model.dll beside it); null otherwise.</summary>
    public static ITorchStepperSource? Find()
    {
        Type? type;
        try { type = Type.GetType(TypeName, throwOnError: false); }
        catch (Exception error) when (error is IOException or BadImageFormatException) { return null; }
        return type is null ? null : (ITorchStepperSource?)Activator.CreateInstance(type);
    }

    /// <summary>The torch path, or a user error that says this program has none and what to do instead.</summary>
    public static ITorchStepperSource Require(string why) =>
        Find() ?? throw new Common.UserError(
            $"{why} needs the TorchSharp path (CharRnnCode.Model.dll and TorchSharp beside {Path.GetFileName(Environment.ProcessPath) ?? "this program"}), " +
            "which this build does not ship: it runs on the CPU in plain C#. Use device cpu (or auto), or run a build with TorchSharp " +
            "(charrnn, or a server built with -p:TorchBackend=cuda).");
}
