// Where the architecture tests find the repository they check: the folder that holds CharRnnCode.sln, above
// the tests' own build folder. (This project does not reference the shared test support, which brings the model.)
namespace CharRnnCode.Architecture.Tests;

internal static class Repository
{
    public static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "CharRnnCode.sln"))) return folder.FullName;
        throw new InvalidOperationException("CharRnnCode.sln not found above the test's folder.");
    }
}
