// The TorchSharp side of checkpoints: moves tensors between a live network/optimizer and checkpoint entries. The
// optimizer and the RNG are stored as TorchSharp's own binary state (opaque bytes inside our container), which is how a
// resumed run continues bit for bit. The checkpoint format itself (entries, files, exports) is CharRnnCode.Inference.Checkpoints;
// this only converts tensors, so that inference never needs TorchSharp to read a checkpoint.
using CharRnnCode.Inference.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CharRnnCode.Model;

public static class TorchCheckpointTensors
{
    public static CheckpointEntry ToEntry(Tensor tensor)
    {
        using var scope = torch.NewDisposeScope();         // detach/cpu/contiguous may each make a new handle
        var host = tensor.detach().cpu().contiguous().to_type(ScalarType.Float32);
        return CheckpointEntry.Floats(host.data<float>().ToArray(), host.shape);
    }

    public static Tensor ToTensor(CheckpointEntry entry, Device? device = null) =>
        torch.tensor(entry.ToFloats(), entry.Shape, device: device);

    public static IEnumerable<KeyValuePair<string, CheckpointEntry>> ParameterEntries(nn.Module network) =>
        network.named_parameters().Select(p => KeyValuePair.Create(Checkpoint.ParameterPrefix + p.name, ToEntry(p.parameter)));

    public static void LoadParameters(nn.Module network, Checkpoint checkpoint)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in network.named_parameters())
        {
            if (!checkpoint.Entries.TryGetValue(Checkpoint.ParameterPrefix + name, out var entry))
                throw new CheckpointException($"checkpoint lacks the parameter {name}; it does not match its configuration ({checkpoint.Info.Config.Model.Shape}).");
            if (!entry.Shape.SequenceEqual(parameter.shape))
                throw new CheckpointException($"checkpoint parameter {name} has shape [{string.Join(",", entry.Shape)}], the model needs [{string.Join(",", parameter.shape)}].");
            using var value = ToTensor(entry, parameter.device);
            parameter.copy_(value);
        }
    }

    public static CheckpointEntry OptimizerEntry(optim.Optimizer optimizer)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, System.Text.Encoding.UTF8, leaveOpen: true))
            ((OptimizerHelper)optimizer).save_state_dict(writer);
        return CheckpointEntry.Bytes(memory.ToArray());
    }

    public static void LoadOptimizer(optim.Optimizer optimizer, CheckpointEntry entry)
    {
        using var memory = new MemoryStream(entry.Data);
        using var reader = new BinaryReader(memory);
        ((OptimizerHelper)optimizer).load_state_dict(reader);
    }

    public static CheckpointEntry RngEntry()
    {
        using var state = torch.random.get_rng_state();
        return CheckpointEntry.Bytes(state.data<byte>().ToArray());
    }

    public static void LoadRng(CheckpointEntry entry)
    {
        using var state = torch.tensor(entry.Data, [entry.Data.LongLength], dtype: ScalarType.Byte);
        torch.random.set_rng_state(state);
    }
}
