// What sample and eval print, from a tiny trained model (issue 17): results on stdout, notes on stderr;
// --json documents; a crafted checkpoint whose entries point outside its data is a clear error.
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Cli.Tests;

public sealed class OutputTests
{
    private static TinyModelFiles Tiny => SharedTinyModel.Files;

    [Fact]
    public void Sample_prints_the_text_on_stdout_and_its_statistics_on_stderr()
    {
        var result = Charrnn.Run("sample", "--checkpoint", Tiny.BestCheckpoint, "--length", "30", "--seed", "1");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(30, result.Stdout.TrimEnd('\n').Length);
        Assert.Contains("sample 1: 30 chars", result.Stderr);
        Assert.DoesNotContain("sample 1:", result.Stdout);
    }

    [Fact]
    public void Sample_json_holds_each_sample_with_its_log_probability()
    {
        var result = Charrnn.Run("sample", "--checkpoint", Tiny.BestCheckpoint, "--length", "12", "--num-samples", "3", "--seed", "1", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var samples = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("samples");
        Assert.Equal(3, samples.GetArrayLength());
        foreach (var sample in samples.EnumerateArray())
        {
            Assert.Equal(12, sample.GetProperty("text").GetString()!.Length);
            Assert.True(sample.GetProperty("logProbability").GetDouble() < 0);
        }
    }

    [Fact]
    public void Doctor_json_is_one_object_with_every_check()
    {
        var result = Charrnn.Run("doctor", "--json");
        Assert.Equal(0, result.ExitCode);
        var document = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.True(document.GetProperty("healthy").GetBoolean());
        Assert.Equal("ok (2x2 matmul)", document.GetProperty("checks").GetProperty("Torch smoke test").GetString());
    }

    [Fact]
    public void Eval_json_holds_the_summary_table()
    {
        using var folder = new TempFolder();
        var result = Charrnn.Run("eval", "--checkpoint", Tiny.BestCheckpoint, "--corpus", Tiny.Corpus, "--out", folder["report"], "--samples", "1", "--length", "40",
            "--temperatures", "0.5,1", "--positions", "2", "-k", "2", "--ngram-order", "3", "--loss-chars", "500", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var table = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.True(table.GetProperty("testBitsPerChar").GetProperty("model").GetDouble() > 0);
        Assert.Equal([0.5, 1.0], table.GetProperty("freeRunning").EnumerateArray().Select(t => t.GetProperty("temperature").GetDouble()));
        Assert.True(table.GetProperty("lineCompletion").GetArrayLength() > 0);
        // Every contender, and the tables the console prints as the report model's JSON.
        Assert.Equal(["model", "nGram"], table.GetProperty("contenders").EnumerateArray().Select(c => c.GetProperty("kind").GetString()));
        var contenders = table.GetProperty("tables")[0];
        Assert.Equal("the contenders on the same test split", contenders.GetProperty("title").GetString());
        Assert.Equal(table.GetProperty("testBitsPerChar").GetProperty("model").GetDouble(), contenders.GetProperty("rows")[0][1].GetDouble());
        Assert.True(File.Exists(Path.Combine(folder["report"], "report.html")));
    }

    [Fact]
    public void A_checkpoint_whose_entry_points_outside_its_data_is_a_checkpoint_error()
    {
        using var folder = new TempFolder();
        var crafted = folder["crafted.ckpt"];
        File.WriteAllBytes(crafted, WithFirstEntryOffset(File.ReadAllBytes(Tiny.BestCheckpoint), 1L << 40));
        var result = Charrnn.Run("sample", "--checkpoint", crafted, "--length", "5");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("lies outside", result.Stderr);
        Assert.DoesNotContain("ArgumentOutOfRange", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    // The checkpoint format (CheckpointFile.cs): 8-byte magic, uint32 version, uint32 header length, JSON header,
    // entry bytes, SHA-256 of everything before it. The hash is made valid again: only the table lies.
    private static byte[] WithFirstEntryOffset(byte[] file, long offset)
    {
        var headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12));
        var header = JsonNode.Parse(file.AsSpan(16, headerLength))!;
        header["entries"]![0]!["offset"] = offset;
        var newHeader = Encoding.UTF8.GetBytes(header.ToJsonString());
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)newHeader.Length);
        byte[] body = [.. file.AsSpan(0, 12), .. length, .. newHeader, .. file.AsSpan(16 + headerLength, file.Length - 16 - headerLength - 32)];
        return [.. body, .. SHA256.HashData(body)];
    }
}
