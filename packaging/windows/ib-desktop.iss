; Inno Setup script for IB Desktop on Windows: a per-user install without admin rights.
; Built by `python packaging/build.py --installer` on Windows (needs Inno Setup 6's ISCC.exe on
; PATH or in its default folder); it packs the PyInstaller folder dist\ib-desktop.
; Uninstalling removes the program only: the care files in %LOCALAPPDATA%\ib-desktop stay.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir "..\..\dist\ib-desktop"
#endif

[Setup]
AppId={{6B1C2F4E-9E1A-4C59-9B7A-1D3E5F7A9C21}
AppName=IB Desktop
AppVersion={#AppVersion}
AppPublisher=IB Desktop
DefaultDirName={localappdata}\Programs\IB Desktop
DefaultGroupName=IB Desktop
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=IB-Desktop-{#AppVersion}-setup
SetupIconFile=..\..\ib_desktop\resources\icons\ib-desktop.ico
UninstallDisplayIcon={app}\ib-desktop-gui.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\IB Desktop"; Filename: "{app}\ib-desktop-gui.exe"
Name: "{userdesktop}\IB Desktop"; Filename: "{app}\ib-desktop-gui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\ib-desktop-gui.exe"; Description: "{cm:LaunchProgram,IB Desktop}"; Flags: nowait postinstall skipifsilent
