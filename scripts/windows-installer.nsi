; ScoreDesk installer (NSIS): scripts/build-windows.sh builds it as dist/scoredesk-setup.exe.
; Installs scoredesk.exe, a Start-menu entry and an uninstaller, and opens .sdkit judge kits;
; competition files are opened from the window (a .sqlite may belong to other programs).
; A 64-bit installer: Windows 10/11 laptops are 64-bit (and a 64-bit Wine prefix runs it).
Target amd64-unicode
!ifndef EXE
  !error "makensis -DEXE=path/to/scoredesk.exe -DOUT=path/to/scoredesk-setup.exe"
!endif
!ifndef VERSION
  !define VERSION "0.1.0"
!endif

Name "ScoreDesk 教师教学技能大赛评分系统"
OutFile "${OUT}"
InstallDir "$PROGRAMFILES64\ScoreDesk"
InstallDirRegKey HKLM "Software\ScoreDesk" "InstallDir"
RequestExecutionLevel admin
SetCompressor /SOLID lzma

Page directory
Page instfiles
UninstPage uninstConfirm
UninstPage instfiles

Section "ScoreDesk"
  SetOutPath "$INSTDIR"
  File "/oname=scoredesk.exe" "${EXE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "Software\ScoreDesk" "InstallDir" "$INSTDIR"
  ; Start menu
  CreateDirectory "$SMPROGRAMS\ScoreDesk"
  CreateShortcut "$SMPROGRAMS\ScoreDesk\ScoreDesk.lnk" "$INSTDIR\scoredesk.exe"
  CreateShortcut "$SMPROGRAMS\ScoreDesk\卸载 ScoreDesk.lnk" "$INSTDIR\uninstall.exe"
  ; .sdkit (a judge's kit) opens in ScoreDesk
  WriteRegStr HKCR ".sdkit" "" "ScoreDesk.Kit"
  WriteRegStr HKCR "ScoreDesk.Kit" "" "ScoreDesk 评分包"
  WriteRegStr HKCR "ScoreDesk.Kit\DefaultIcon" "" "$INSTDIR\scoredesk.exe,0"
  WriteRegStr HKCR "ScoreDesk.Kit\shell\open\command" "" '"$INSTDIR\scoredesk.exe" "%1"'
  ; Programs and Features
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\ScoreDesk" "DisplayName" "ScoreDesk"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\ScoreDesk" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\ScoreDesk" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\ScoreDesk" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\scoredesk.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\ScoreDesk\ScoreDesk.lnk"
  Delete "$SMPROGRAMS\ScoreDesk\卸载 ScoreDesk.lnk"
  RMDir "$SMPROGRAMS\ScoreDesk"
  DeleteRegKey HKCR ".sdkit"
  DeleteRegKey HKCR "ScoreDesk.Kit"
  DeleteRegKey HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\ScoreDesk"
  DeleteRegKey HKLM "Software\ScoreDesk"
SectionEnd
