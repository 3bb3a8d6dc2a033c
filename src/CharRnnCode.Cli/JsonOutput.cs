// --json on any verb: one JSON document on stdout, for scripts; everything a person reads (progress, notes)
// then goes to stderr. Property names are camelCase, like the corpus manifest and the evaluation report.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CharRnnCode.Cli;

internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        // Samples are code: '+', '<' and '&' stay readable instead of \u002B escapes (this is not HTML).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);

    public static void Write(object value)
    {
        Console.Out.WriteLine(Serialize(value));
        Console.Out.Flush();
    }
}
