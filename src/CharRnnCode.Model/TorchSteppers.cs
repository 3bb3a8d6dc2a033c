// The torch path that inference looks up by name (TorchStepperSource): it builds the training network
// from a checkpoint and wraps it in a TorchRecurrentStepper. Only this file's methods touch TorchSharp,
// so that loading the type to ask IsCudaBuild loads no libtorch. It does not choose when torch is used.
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Model.Runtime;

namespace CharRnnCode.Model;

public sealed class TorchSteppers : ITorchStepperSource
{
#if TORCH_CUDA
    public bool IsCudaBuild => true;
#else
    public bool IsCudaBuild => false;
#endif

    public bool CudaAvailable() => TorchRuntime.CudaAvailable();

    public (IRecurrentStepper Stepper, string Name) Create(Checkpoint checkpoint, string device, int? threads)
    {
        TorchRuntime.Initialize(threads);
        var torchDevice = TorchRuntime.ResolveDevice(device);
        var network = new CharRnnNetwork(checkpoint.Info.Config.Model, checkpoint.Vocabulary.Size);
        TorchCheckpointTensors.LoadParameters(network, checkpoint);
        return (new TorchRecurrentStepper(network, torchDevice), $"torch ({torchDevice.type.ToString().ToLowerInvariant()})");
    }
}
