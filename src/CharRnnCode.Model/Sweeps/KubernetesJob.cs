// A sweep as one Kubernetes Indexed Job (batch/v1): one completion index per point, the run folders and the corpus on
// a shared volume claim, each pod running the train command (for charrnn, `charrnn train --resume-or-start`) on the
// folder of its JOB_COMPLETION_INDEX, so a pod that is evicted and retried resumes. It writes the manifest as JSON (which
// `kubectl apply -f` reads); applying it, the image and the claim are the user's.
using System.Text.Json;
using System.Text.Json.Nodes;
namespace CharRnnCode.Model.Sweeps;

/// <param name="Image">the container image holding charrnn</param>
/// <param name="VolumeClaim">the PersistentVolumeClaim that holds the sweep folder and the corpus</param>
/// <param name="MountPath">where the claim is mounted in the pod</param>
/// <param name="SweepPath">the sweep folder's path in the pod (below MountPath)</param>
/// <param name="CorpusPath">the corpus folder's path in the pod (below MountPath)</param>
/// <param name="Parallelism">pods at a time</param>
/// <param name="GpusPerTask">nvidia.com/gpu per pod (0: none)</param>
/// <param name="Train">the command that trains a point in the image (on the GPU where GpusPerTask asks for one)</param>
public sealed record KubernetesOptions(string Image, string VolumeClaim, string MountPath, string SweepPath, string CorpusPath, int Parallelism,
    int GpusPerTask, TaskCommand Train);

public static class KubernetesJob
{
    public const string Folder = "kubernetes";
    public const string ManifestName = "job.json";

    /// <summary>The Job: completions = every point (a finished one exits at once), one index per point.</summary>
    public static JsonObject Manifest(SweepPlan plan, KubernetesOptions options)
    {
        const string volume = "sweep";
        var script = "set -eu\n" + SweepTasks.DispatchScript(plan, plan.Points, "JOB_COMPLETION_INDEX",
            new TaskEnvironment(options.Train, options.SweepPath, options.CorpusPath));
        var container = new JsonObject
        {
            ["name"] = "train",
            ["image"] = options.Image,
            ["command"] = new JsonArray("sh", "-c", script),
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = volume, ["mountPath"] = options.MountPath }),
        };
        if (options.GpusPerTask > 0)
            container["resources"] = new JsonObject { ["limits"] = new JsonObject { ["nvidia.com/gpu"] = options.GpusPerTask } };
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject { ["name"] = Name(plan), ["labels"] = new JsonObject { ["app.kubernetes.io/name"] = "charrnn-sweep" } },
            ["spec"] = new JsonObject
            {
                ["completionMode"] = "Indexed",
                ["completions"] = plan.Points.Count,
                ["parallelism"] = Math.Min(options.Parallelism, plan.Points.Count),
                // A pod may be retried (eviction, a node lost) three times per point in all; train resumes its folder.
                ["backoffLimit"] = 3 * plan.Points.Count,
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["restartPolicy"] = "Never",
                        ["containers"] = new JsonArray(container),
                        ["volumes"] = new JsonArray(new JsonObject { ["name"] = volume, ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = options.VolumeClaim } }),
                    },
                },
            },
        };
    }

    public static string ToJson(JsonObject manifest) => manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    // A DNS-1123 label: lower-case letters, digits and '-', at most 63 characters, starting and ending alphanumeric.
    private static string Name(SweepPlan plan)
    {
        var bare = new string(("charrnn-sweep-" + Path.GetFileName(plan.Directory)).ToLowerInvariant()
            .Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        return bare[..Math.Min(bare.Length, 63)].Trim('-');
    }
}
