using System.Text;
using Infra.Packaging;
using Infra.Settings;

namespace Infra.Tests.Packaging;

public sealed class BootstrapCheckTests
{
    /// <summary>An ELF64 header for <paramref name="machine"/> followed by a .dynstr-like run of version names, as a linker writes them.</summary>
    private static byte[] Elf(ushort machine, params string[] versions)
    {
        var header = new byte[64];
        "\u007fELF"u8.CopyTo(header);
        header[4] = 2; // ELFCLASS64
        header[5] = 1; // little-endian
        header[6] = 1; // EV_CURRENT
        header[16] = 2; // ET_EXEC
        BitConverter.TryWriteBytes(header.AsSpan(18), machine);
        var strings = Encoding.ASCII.GetBytes("\0libc.so.6\0" + string.Join('\0', versions) + "\0");
        return [.. header, .. strings];
    }

    [Theory]
    [InlineData(62, "x86_64")]
    [InlineData(183, "arm64")]
    public void Problem_ExecutableOfTheTargetWithLambdasGlibc_IsNone(ushort machine, string target)
    {
        var elf = Elf(machine, "GLIBC_2.2.5", "GLIBC_2.17", "GLIBC_2.34", "GLIBC_PRIVATE");
        Assert.Null(BootstrapCheck.Problem(elf, TargetArchitecture.FromName(target)!));
    }

    [Theory]
    [InlineData(62, "arm64", "is an x86_64 executable, not arm64 (linux-arm64)")]
    [InlineData(183, "x86_64", "is an arm64 executable, not x86_64 (linux-x64)")]
    [InlineData(40, "arm64", "is an ELF machine 40 executable, not arm64 (linux-arm64)")]
    public void Problem_ExecutableOfAnotherArchitecture_SaysWhichItIs(ushort machine, string target, string expected)
    {
        Assert.Equal(expected, BootstrapCheck.Problem(Elf(machine, "GLIBC_2.17"), TargetArchitecture.FromName(target)!));
    }

    [Fact]
    public void Problem_LinkedAgainstANewerGlibc_NamesBothVersions()
    {
        // What a link against Ubuntu 24.04's glibc could bring in (a C23 strtol).
        var elf = Elf(62, "GLIBC_2.2.5", "GLIBC_2.34", "GLIBC_2.38");
        Assert.Equal(
            "needs glibc 2.38, newer than the 2.34 of Lambda's provided.al2023 (Amazon Linux 2023)",
            BootstrapCheck.Problem(elf, TargetArchitecture.X86_64));
    }

    [Fact]
    public void Problem_ScriptStandIn_IsNotChecked()
    {
        Assert.Null(BootstrapCheck.Problem("#!/bin/sh\necho stand-in\n"u8, TargetArchitecture.Arm64));
        Assert.Null(BootstrapCheck.Problem([], TargetArchitecture.Arm64));
    }

    [Fact]
    public void NewestGlibc_ManyVersions_ComparesNumericallyNotAsText()
    {
        var elf = Elf(62, "GLIBC_2.4", "GLIBC_2.34", "GLIBC_2.3.4", "GLIBC_2.2.5", "GLIBC_2.9", "GLIBC_2.14");
        Assert.Equal(new Version(2, 34), BootstrapCheck.NewestGlibc(elf));
    }

    [Fact]
    public void NewestGlibc_NoVersionedSymbols_IsNull()
    {
        Assert.Null(BootstrapCheck.NewestGlibc(Elf(62, "GLIBC_PRIVATE")));
    }
}
