// Finds a repository's license file at the root of its tree and names well-known licenses by a few
// phrases of their text. A guess for the manifest, not legal advice: unknown texts give no SPDX id.
using System.Text.RegularExpressions;

namespace CharRnnCode.Corpus;

public static class LicenseDetector
{
    private static readonly Regex LicenseName = new(@"^(license|licence|copying|copyright|unlicense)([.-].*)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static bool IsLicenseFileName(string name) => LicenseName.IsMatch(name);

    /// <summary>An SPDX identifier for the license text, or null.</summary>
    public static string? Identify(string text)
    {
        bool Has(string phrase) => text.Contains(phrase, StringComparison.OrdinalIgnoreCase);
        if (Has("GNU LESSER GENERAL PUBLIC LICENSE") || Has("GNU LIBRARY GENERAL PUBLIC LICENSE"))
            return Has("Version 3") ? "LGPL-3.0" : "LGPL-2.1";
        if (Has("GNU AFFERO GENERAL PUBLIC LICENSE")) return "AGPL-3.0";
        if (Has("GNU GENERAL PUBLIC LICENSE") || Has("GPL-2.0"))
            return Has("Version 3") && !Has("Version 2") ? "GPL-3.0" : "GPL-2.0";
        if (Has("Apache License") && Has("Version 2.0")) return "Apache-2.0";
        if (Has("Mozilla Public License") && Has("2.0")) return "MPL-2.0";
        if (Has("Permission is hereby granted, free of charge")) return "MIT";
        if (Has("This is free and unencumbered software")) return "Unlicense";
        if (Has("Microsoft Public License")) return "MS-PL";
        if (Has("Redistribution and use in source and binary forms"))
            return Has("Neither the name") || Has("endorse or promote") ? "BSD-3-Clause" : "BSD-2-Clause";
        return null;
    }
}
