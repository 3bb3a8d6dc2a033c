// The few clang-c functions the C scorer calls, bound to the native libclang that the NuGet package
// libclang.runtime.linux-x64 puts in the build output (runtimes/linux-x64/native/libclang.so). Plain
// structs and pointers as clang-c/Index.h declares them; no managed wrapper beyond reading a CXString.
// It does not cover the rest of the API (cursors, types, completion): the scorer needs diagnostics and tokens.
using System.Runtime.InteropServices;

namespace CharRnnCode.Scoring;

internal static unsafe partial class LibClang
{
    private const string Library = "libclang";

    /// <summary>CXTranslationUnit_KeepGoing: a fatal error (a header that is not found) does not end the parse.</summary>
    public const uint KeepGoing = 0x200;

    public const int SeverityError = 3, SeverityFatal = 4;

    public enum TokenKind { Punctuation = 0, Keyword = 1, Identifier = 2, Literal = 3, Comment = 4 }

    [StructLayout(LayoutKind.Sequential)]
    public struct UnsavedFile
    {
        public byte* Filename;
        public byte* Contents;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct ClangString
    {
        public void* Data;
        public uint Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct SourceLocation
    {
        public void* Pointer0, Pointer1;
        public uint IntData;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct SourceRange
    {
        public void* Pointer0, Pointer1;
        public uint BeginIntData, EndIntData;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Token
    {
        public uint Int0, Int1, Int2, Int3;
        public void* Pointer;
    }

    [LibraryImport(Library, EntryPoint = "clang_createIndex")]
    public static partial nint CreateIndex(int excludeDeclarationsFromPch, int displayDiagnostics);

    [LibraryImport(Library, EntryPoint = "clang_disposeIndex")]
    public static partial void DisposeIndex(nint index);

    [LibraryImport(Library, EntryPoint = "clang_parseTranslationUnit2")]
    public static partial int ParseTranslationUnit2(nint index, byte* sourceFilename, byte** commandLineArgs, int argCount,
        UnsavedFile* unsavedFiles, uint unsavedCount, uint options, nint* translationUnit);

    [LibraryImport(Library, EntryPoint = "clang_disposeTranslationUnit")]
    public static partial void DisposeTranslationUnit(nint translationUnit);

    [LibraryImport(Library, EntryPoint = "clang_getNumDiagnostics")]
    public static partial uint GetNumDiagnostics(nint translationUnit);

    [LibraryImport(Library, EntryPoint = "clang_getDiagnostic")]
    public static partial nint GetDiagnostic(nint translationUnit, uint index);

    [LibraryImport(Library, EntryPoint = "clang_disposeDiagnostic")]
    public static partial void DisposeDiagnostic(nint diagnostic);

    [LibraryImport(Library, EntryPoint = "clang_getDiagnosticSeverity")]
    public static partial int GetDiagnosticSeverity(nint diagnostic);

    [LibraryImport(Library, EntryPoint = "clang_getDiagnosticCategoryText")]
    public static partial ClangString GetDiagnosticCategoryText(nint diagnostic);

    [LibraryImport(Library, EntryPoint = "clang_getDiagnosticSpelling")]
    public static partial ClangString GetDiagnosticSpelling(nint diagnostic);

    [LibraryImport(Library, EntryPoint = "clang_getDiagnosticLocation")]
    public static partial SourceLocation GetDiagnosticLocation(nint diagnostic);

    [LibraryImport(Library, EntryPoint = "clang_getFileLocation")]
    public static partial void GetFileLocation(SourceLocation location, nint* file, uint* line, uint* column, uint* offset);

    [LibraryImport(Library, EntryPoint = "clang_getFile")]
    public static partial nint GetFile(nint translationUnit, byte* fileName);

    [LibraryImport(Library, EntryPoint = "clang_getLocationForOffset")]
    public static partial SourceLocation GetLocationForOffset(nint translationUnit, nint file, uint offset);

    [LibraryImport(Library, EntryPoint = "clang_getRange")]
    public static partial SourceRange GetRange(SourceLocation begin, SourceLocation end);

    [LibraryImport(Library, EntryPoint = "clang_getRangeStart")]
    public static partial SourceLocation GetRangeStart(SourceRange range);

    [LibraryImport(Library, EntryPoint = "clang_getRangeEnd")]
    public static partial SourceLocation GetRangeEnd(SourceRange range);

    [LibraryImport(Library, EntryPoint = "clang_tokenize")]
    public static partial void Tokenize(nint translationUnit, SourceRange range, Token** tokens, uint* count);

    [LibraryImport(Library, EntryPoint = "clang_disposeTokens")]
    public static partial void DisposeTokens(nint translationUnit, Token* tokens, uint count);

    [LibraryImport(Library, EntryPoint = "clang_getTokenKind")]
    public static partial TokenKind GetTokenKind(Token token);

    [LibraryImport(Library, EntryPoint = "clang_getTokenExtent")]
    public static partial SourceRange GetTokenExtent(nint translationUnit, Token token);

    [LibraryImport(Library, EntryPoint = "clang_getClangVersion")]
    public static partial ClangString GetClangVersion();

    [LibraryImport(Library, EntryPoint = "clang_getCString")]
    private static partial byte* GetCString(ClangString text);

    [LibraryImport(Library, EntryPoint = "clang_disposeString")]
    private static partial void DisposeString(ClangString text);

    /// <summary>The text of a CXString, which is then disposed.</summary>
    public static string Take(ClangString text)
    {
        try
        {
            return Marshal.PtrToStringUTF8((nint)GetCString(text)) ?? "";
        }
        finally
        {
            DisposeString(text);
        }
    }

    /// <summary>The byte offset of a location in its file.</summary>
    public static uint Offset(SourceLocation location)
    {
        nint file;
        uint line, column, offset;
        GetFileLocation(location, &file, &line, &column, &offset);
        return file == 0 ? uint.MaxValue : offset;
    }
}
