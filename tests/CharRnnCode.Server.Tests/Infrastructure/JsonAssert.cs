// Whole-JSON expectations: the expected document is written out in full and compared structurally
// with what the server sent, so a test states the complete answer, not a few fields of it.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CharRnnCode.Server.Tests.Infrastructure;

public static class JsonAssert
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Equal(string expectedJson, JsonElement actual)
    {
        var expected = JsonNode.Parse(expectedJson);
        var actualNode = JsonNode.Parse(actual.GetRawText());
        if (!JsonNode.DeepEquals(expected, actualNode))
            Assert.Fail($"JSON differs.\nExpected:\n{expected?.ToJsonString(Indented)}\nActual:\n{actualNode?.ToJsonString(Indented)}");
    }

    public static void Equal(string expectedJson, object actual) =>
        Equal(expectedJson, JsonSerializer.SerializeToElement(actual, CharRnnCode.Server.Protocol.LspJson.CreateOptions()));
}
