<#
.SYNOPSIS
    Generates the MAML help (en-US/VisionOneOnboarding.dll-Help.xml) of the binary cmdlets from their XML doc comments.
.DESCRIPTION
    Binary cmdlets get help only from MAML. platyPS is not available here, so the help lives next to the code
    as XML doc comments on each cmdlet class and parameter property:
      class:     <summary><para type="synopsis">...</para><para type="description">...</para></summary>
                 <example><code>...</code><para>...</para></example>   (one or more)
      property:  <summary>...</summary>
    Parameter sets, types, positions, pipeline binding and aliases come from the imported module itself.
    Run by build.ps1 in a child pwsh (it imports the freshly laid-out module).
#>
param(
    [Parameter(Mandatory)] [string] $ModuleDirectory,
    [Parameter(Mandatory)] [string] $XmlDoc
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$manifest = Get-ChildItem $ModuleDirectory -Filter *.psd1 | Select-Object -First 1
$module = Import-Module $manifest.FullName -PassThru -Force
$doc = [xml](Get-Content $XmlDoc -Raw)
$members = @{}
foreach ($m in $doc.doc.members.member) { $members[$m.name] = $m }

$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

function Get-Text($node) {
    if ($null -eq $node) { return '' }
    # PowerShell's XML adapter hands back text-only elements as plain strings.
    $text = if ($node -is [string]) { $node } else { $node.InnerText }
    (($text -replace '\s+', ' ').Trim())
}

function Get-MemberDoc([type] $type, [string] $prefix, [string] $name) {
    for ($t = $type; $null -ne $t; $t = $t.BaseType) {
        $key = if ($name) { "${prefix}:$($t.FullName).$name" } else { "${prefix}:$($t.FullName)" }
        if ($members.ContainsKey($key)) { return $members[$key] }
    }
    if ($name -and $type.GetInterface('System.Management.Automation.IDynamicParameters')) {
        # Dynamic parameters are declared on the object GetDynamicParameters returns.
        $key = "${prefix}:VisionOneOnboarding.Cmdlets.V1ApiParameters.$name"
        if ($members.ContainsKey($key)) { return $members[$key] }
    }
    $null
}

$maml = 'http://schemas.microsoft.com/maml/2004/10'
$command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$outDir = Join-Path $ModuleDirectory 'en-US'
$null = New-Item -ItemType Directory -Force -Path $outDir
$outFile = Join-Path $outDir "$($module.Name).dll-Help.xml"
$w = [System.Xml.XmlWriter]::Create($outFile, $settings)

function Para([string] $text) { $w.WriteStartElement('maml', 'para', $maml); $w.WriteString($text); $w.WriteEndElement() }
function Description([string] $text) { $w.WriteStartElement('maml', 'description', $maml); Para $text; $w.WriteEndElement() }

function Write-Parameter($p, $attr, [string] $description, [switch] $InSyntax) {
    $w.WriteStartElement('command', 'parameter', $command)
    $w.WriteAttributeString('required', $attr.Mandatory.ToString().ToLowerInvariant())
    $w.WriteAttributeString('variableLength', 'true')
    $w.WriteAttributeString('globbing', 'false')
    $pipe = if ($attr.ValueFromPipeline -and $attr.ValueFromPipelineByPropertyName) { 'True (ByValue, ByPropertyName)' }
            elseif ($attr.ValueFromPipeline) { 'True (ByValue)' }
            elseif ($attr.ValueFromPipelineByPropertyName) { 'True (ByPropertyName)' } else { 'False' }
    $w.WriteAttributeString('pipelineInput', $pipe)
    $w.WriteAttributeString('position', $(if ($attr.Position -ge 0) { "$($attr.Position)" } else { 'named' }))
    $w.WriteAttributeString('aliases', $(if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('name', $maml, $p.Name)
    Description $description
    $isSwitch = $p.ParameterType -eq [System.Management.Automation.SwitchParameter]
    if (-not ($isSwitch -and $InSyntax)) {   # a switch reads as plain -Name in the syntax
        $w.WriteStartElement('command', 'parameterValue', $command)
        $w.WriteAttributeString('required', $(if ($isSwitch) { 'false' } else { 'true' }))
        $w.WriteString($p.ParameterType.Name)
        $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('name', $maml, $p.ParameterType.FullName); $w.WriteEndElement()
    $w.WriteEndElement()
}

$w.WriteStartDocument()
$w.WriteStartElement('helpItems'); $w.WriteAttributeString('schema', 'maml')
foreach ($cmd in (Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)) {
    $type = $cmd.ImplementingType
    $classDoc = Get-MemberDoc $type 'T' $null
    if (-not $classDoc) { throw "$($cmd.Name) ($($type.FullName)) has no XML doc comment." }
    $synopsis = Get-Text $classDoc.SelectSingleNode("summary/para[@type='synopsis']")
    $description = Get-Text $classDoc.SelectSingleNode("summary/para[@type='description']")

    $w.WriteStartElement('command', 'command', $command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $w.WriteAttributeString('xmlns', 'command', $null, $command)
    $w.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $w.WriteStartElement('command', 'details', $command)
    $w.WriteElementString('name', $command, $cmd.Name)
    $w.WriteElementString('verb', $command, $cmd.Verb)
    $w.WriteElementString('noun', $command, $cmd.Noun)
    Description $synopsis
    $w.WriteEndElement()
    Description $description

    $paramDocs = @{}
    foreach ($p in $cmd.Parameters.Values) {
        if ($common -contains $p.Name) { continue }
        $propDoc = Get-MemberDoc $type 'P' $p.Name
        $paramDocs[$p.Name] = if ($propDoc) { Get-Text $propDoc.summary } else { '' }
    }

    $w.WriteStartElement('command', 'syntax', $command)
    foreach ($set in $cmd.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $command)
        $w.WriteElementString('name', $maml, $cmd.Name)
        foreach ($sp in $set.Parameters) {
            if ($common -contains $sp.Name) { continue }
            $p = $cmd.Parameters[$sp.Name]
            $attr = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
            Write-Parameter $p $attr $paramDocs[$sp.Name] -InSyntax
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $command)
    foreach ($name in ($paramDocs.Keys | Sort-Object)) {
        $p = $cmd.Parameters[$name]
        $attr = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
        Write-Parameter $p $attr $paramDocs[$name]
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'inputTypes', $command)
    $byValue = @($cmd.Parameters.Values | Where-Object { $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipeline } })
    $byName = @($cmd.Parameters.Values | Where-Object { $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipelineByPropertyName } })
    $w.WriteStartElement('command', 'inputType', $command)
    if ($byValue.Count) {
        $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('name', $maml, 'VisionOneOnboarding.AwsOnboardingState, VisionOneOnboarding.V1AwsTemplate'); $w.WriteEndElement()
        Description 'The output of a previous step; its facts are carried forward and its properties bind to the parameters of the same name.'
    }
    elseif ($byName.Count) {
        $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('name', $maml, 'System.Object'); $w.WriteEndElement()
        Description ('Any object with a property named ' + (($byName.Name | Sort-Object) -join ', ') + '.')
    }
    else {
        $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('name', $maml, 'None'); $w.WriteEndElement()
        Description 'This cmdlet does not take pipeline input.'
    }
    $w.WriteEndElement(); $w.WriteEndElement()

    $w.WriteStartElement('command', 'returnValues', $command)
    foreach ($ot in $cmd.OutputType) {
        $w.WriteStartElement('command', 'returnValue', $command)
        $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('name', $maml, $ot.Name); $w.WriteEndElement()
        Description ''
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'examples', $command)
    $i = 0
    foreach ($ex in $classDoc.SelectNodes('example')) {
        $i++
        $w.WriteStartElement('command', 'example', $command)
        $w.WriteElementString('title', $maml, "-------------------------- Example $i --------------------------")
        $w.WriteElementString('code', $dev, (Get-Text $ex.code))
        $w.WriteStartElement('dev', 'remarks', $dev)
        foreach ($para in $ex.SelectNodes('para')) { Para (Get-Text $para) }
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('maml', 'relatedLinks', $maml)
    $w.WriteStartElement('maml', 'navigationLink', $maml); $w.WriteElementString('linkText', $maml, 'about_VisionOneOnboarding'); $w.WriteEndElement()
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Close()
# Binary help is looked up beside the assembly too (bin/, where the loader finds it on PowerShell 7).
$binHelp = Join-Path $ModuleDirectory 'bin/en-US'
if (Test-Path (Join-Path $ModuleDirectory 'bin')) {
    $null = New-Item -ItemType Directory -Force -Path $binHelp
    Copy-Item $outFile $binHelp
}
Write-Host "Help: $outFile"
