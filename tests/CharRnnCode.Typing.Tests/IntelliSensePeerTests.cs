// The IntelliSense peer is Roslyn's real CompletionService: after `.` it lists the receiver's members, and the
// typed prefix selects the member an editor would preselect.
using Microsoft.CodeAnalysis;

namespace CharRnnCode.Typing.Tests;

public sealed class IntelliSensePeerTests
{
    private static readonly MetadataReference[] References =
        [.. AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name is "System.Runtime" or "System.Private.CoreLib").Select(a => MetadataReference.CreateFromFile(a.Location))];

    [Fact]
    public async Task After_a_dot_the_typed_prefix_selects_the_member_of_the_receiver()
    {
        const string other = "class Buffer { public int Length; public int Lock() => 0; public int Capacity; }";
        const string before = "class C { int M(Buffer b) { return b";
        const string after = "; } }";
        using var peer = new IntelliSensePeer([new TypingFile("/w/Buffer.cs", other), new TypingFile("/w/C.cs", before + after)], References);

        var text = before + "." + after;
        peer.SetText("/w/C.cs", text);
        var list = await peer.OpenAsync("/w/C.cs", before.Length + 1, '.');
        Assert.NotNull(list);
        Assert.Contains(list.Items, item => item.DisplayText == "Capacity");

        text = before + ".Le" + after;
        peer.SetText("/w/C.cs", text);
        Assert.Equal(new ListSelection("Length", "Le"), peer.Selected(list, text, before.Length + 3));
        text = before + ".Lo" + after;
        peer.SetText("/w/C.cs", text);
        Assert.Equal(new ListSelection("Lock", "Lo"), peer.Selected(list, text, before.Length + 3));
    }

    [Fact]
    public async Task A_blank_opens_no_list()
    {
        const string text = "class C { void M() { int x = 1; } }";
        using var peer = new IntelliSensePeer([new TypingFile("/w/C.cs", text)], References);
        Assert.Null(await peer.OpenAsync("/w/C.cs", text.IndexOf("= 1", StringComparison.Ordinal) + 1, ' '));
    }
}
