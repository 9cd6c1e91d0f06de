// The native half of the Windows sampler: C# that PowerShell compiles with Add-Type
// (windows-sampler-script.ts), calling the Win32 and NT APIs directly so that no question
// evident asks spawns a process or walks WMI. Each method answers a JSON text; the one
// writer (Send) is locked, as exit events come from thread-pool callbacks. Written
// against the Win32 documentation; it cannot run on the Linux machines evident is built
// on (docs/windows.md says what was checked only by design).
export const SAMPLER_CSHARP = String.raw`
using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace Evident {
  public static class Native {
    // ---- the one writer: replies and events, UTF-8 without a BOM, one line each
    static readonly object WriteLock = new object();
    static readonly Stream Out = Console.OpenStandardOutput();
    static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);

    public static void Send(string line) {
      byte[] bytes = Utf8.GetBytes(line + "\n");
      lock (WriteLock) { Out.Write(bytes, 0, bytes.Length); Out.Flush(); }
    }

    public static string Quote(string s) {
      if (s == null) return "null";
      var b = new StringBuilder("\"");
      foreach (char c in s) {
        if (c == '"') b.Append("\\\""); else if (c == '\\') b.Append("\\\\");
        else if (c < 0x20) b.Append("\\u").Append(((int)c).ToString("x4"));
        else b.Append(c);
      }
      return b.Append('"').ToString();
    }

    static string Win32Failure(string call) {
      int error = Marshal.GetLastWin32Error();
      return call + " failed: error " + error + " (" + new Win32Exception(error).Message + ")";
    }

    // ---- the process table: one NtQuerySystemInformation(SystemProcessInformation) call
    const int SystemProcessInformation = 5;
    const uint STATUS_INFO_LENGTH_MISMATCH = 0xC0000004;

    [StructLayout(LayoutKind.Sequential)]
    struct SYSTEM_PROCESS_INFORMATION {
      public uint NextEntryOffset; public uint NumberOfThreads; public long WorkingSetPrivateSize;
      public uint HardFaultCount; public uint NumberOfThreadsHighWatermark; public ulong CycleTime;
      public long CreateTime; public long UserTime; public long KernelTime;
      public ushort ImageNameLength; public ushort ImageNameMaximumLength; public IntPtr ImageNameBuffer;
      public int BasePriority; public IntPtr UniqueProcessId; public IntPtr InheritedFromUniqueProcessId;
      public uint HandleCount; public uint SessionId; public UIntPtr UniqueProcessKey;
      public UIntPtr PeakVirtualSize; public UIntPtr VirtualSize; public uint PageFaultCount;
      public UIntPtr PeakWorkingSetSize; public UIntPtr WorkingSetSize;
    }

    [DllImport("ntdll.dll")] static extern uint NtQuerySystemInformation(int infoClass, IntPtr info, int length, out int returned);

    static string FileTime(long value) { return value > 0 ? Quote(value.ToString()) : "null"; }

    public static string Table() {
      int size = 1 << 20;
      for (int attempt = 0; attempt < 8; attempt++) {
        IntPtr buffer = Marshal.AllocHGlobal(size);
        try {
          int needed;
          uint status = NtQuerySystemInformation(SystemProcessInformation, buffer, size, out needed);
          if (status == STATUS_INFO_LENGTH_MISMATCH) { size = Math.Max(size * 2, needed + (64 << 10)); continue; }
          if (status != 0) throw new Exception("NtQuerySystemInformation failed: status 0x" + status.ToString("X8"));
          var rows = new StringBuilder("[");
          long offset = 0;
          while (true) {
            var p = (SYSTEM_PROCESS_INFORMATION)Marshal.PtrToStructure(new IntPtr(buffer.ToInt64() + offset), typeof(SYSTEM_PROCESS_INFORMATION));
            if (rows.Length > 1) rows.Append(',');
            rows.Append("{\"pid\":").Append(p.UniqueProcessId.ToInt64())
                .Append(",\"ppid\":").Append(p.InheritedFromUniqueProcessId.ToInt64())
                .Append(",\"created\":").Append(FileTime(p.CreateTime))
                .Append(",\"cpu100ns\":").Append(p.UserTime + p.KernelTime)
                .Append(",\"rss\":").Append(p.WorkingSetSize.ToUInt64()).Append('}');
            if (p.NextEntryOffset == 0) break;
            offset += p.NextEntryOffset;
          }
          return rows.Append(']').ToString();
        } finally { Marshal.FreeHGlobal(buffer); }
      }
      throw new Exception("NtQuerySystemInformation: the process table kept growing");
    }

    // ---- command lines, only of the pids asked for
    const uint PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
    const uint SYNCHRONIZE = 0x00100000;
    const int ProcessCommandLineInformation = 60;

    [DllImport("kernel32.dll", SetLastError = true)] static extern IntPtr OpenProcess(uint access, bool inherit, int pid);
    [DllImport("kernel32.dll", SetLastError = true)] static extern bool CloseHandle(IntPtr handle);
    [DllImport("kernel32.dll", SetLastError = true)] static extern bool GetProcessTimes(IntPtr process, out long created, out long exited, out long kernel, out long user);
    [DllImport("kernel32.dll", SetLastError = true)] static extern bool GetExitCodeProcess(IntPtr process, out uint code);
    [DllImport("ntdll.dll")] static extern uint NtQueryInformationProcess(IntPtr process, int infoClass, IntPtr info, int length, out int returned);

    static long CreationTime(IntPtr process) {
      long created, exited, kernel, user;
      return GetProcessTimes(process, out created, out exited, out kernel, out user) ? created : 0;
    }

    static string CommandLineOf(IntPtr process) {
      int size = 4096;
      for (int attempt = 0; attempt < 4; attempt++) {
        IntPtr buffer = Marshal.AllocHGlobal(size);
        try {
          int needed;
          uint status = NtQueryInformationProcess(process, ProcessCommandLineInformation, buffer, size, out needed);
          if (status == STATUS_INFO_LENGTH_MISMATCH) { size = Math.Max(size * 2, needed); continue; }
          if (status != 0) return null;
          // A UNICODE_STRING whose Buffer points into the same block.
          int length = Marshal.ReadInt16(buffer) & 0xFFFF;
          IntPtr text = Marshal.ReadIntPtr(buffer, IntPtr.Size);
          return text == IntPtr.Zero ? "" : Marshal.PtrToStringUni(text, length / 2);
        } finally { Marshal.FreeHGlobal(buffer); }
      }
      return null;
    }

    public static string CommandLines(int[] pids) {
      var rows = new StringBuilder("[");
      foreach (int pid in pids) {
        IntPtr process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, false, pid);
        string cmd = null; long created = 0;
        if (process != IntPtr.Zero) {
          try { created = CreationTime(process); cmd = CommandLineOf(process); } finally { CloseHandle(process); }
        }
        if (rows.Length > 1) rows.Append(',');
        rows.Append("{\"pid\":").Append(pid).Append(",\"created\":").Append(FileTime(created)).Append(",\"cmd\":").Append(Quote(cmd)).Append('}');
      }
      return rows.Append(']').ToString();
    }

    // ---- listeners: GetExtendedTcpTable, IPv4 and IPv6; a failure is an error, never "none"
    const int AF_INET = 2, AF_INET6 = 23, TCP_TABLE_OWNER_PID_LISTENER = 3, ERROR_INSUFFICIENT_BUFFER = 122;
    [DllImport("iphlpapi.dll")] static extern int GetExtendedTcpTable(IntPtr table, ref int size, bool sort, int family, int tableClass, int reserved);

    static int PortOf(int raw) { return ((raw & 0xFF) << 8) | ((raw >> 8) & 0xFF); }

    public static string Listeners(int[] ports) {
      var wanted = new HashSet<int>(ports);
      var rows = new StringBuilder("[");
      foreach (int family in new[] { AF_INET, AF_INET6 }) {
        int size = 0;
        int result = GetExtendedTcpTable(IntPtr.Zero, ref size, false, family, TCP_TABLE_OWNER_PID_LISTENER, 0);
        if (result != ERROR_INSUFFICIENT_BUFFER && result != 0) throw new Exception("GetExtendedTcpTable failed: error " + result);
        IntPtr table = Marshal.AllocHGlobal(size + 1024);
        try {
          size += 1024;
          result = GetExtendedTcpTable(table, ref size, false, family, TCP_TABLE_OWNER_PID_LISTENER, 0);
          if (result != 0) throw new Exception("GetExtendedTcpTable failed: error " + result);
          int count = Marshal.ReadInt32(table);
          int rowSize = family == AF_INET ? 24 : 56;
          for (int i = 0; i < count; i++) {
            IntPtr row = new IntPtr(table.ToInt64() + 4 + (long)i * rowSize);
            int port, pid; string address;
            if (family == AF_INET) {
              address = new IPAddress((long)(uint)Marshal.ReadInt32(row, 4)).ToString();
              port = PortOf(Marshal.ReadInt32(row, 8));
              pid = Marshal.ReadInt32(row, 20);
            } else {
              var bytes = new byte[16];
              Marshal.Copy(row, bytes, 0, 16);
              address = new IPAddress(bytes).ToString();
              port = PortOf(Marshal.ReadInt32(row, 20));
              pid = Marshal.ReadInt32(row, 52);
            }
            if (!wanted.Contains(port)) continue;
            if (rows.Length > 1) rows.Append(',');
            rows.Append("{\"port\":").Append(port).Append(",\"pid\":").Append(pid).Append(",\"address\":").Append(Quote(address)).Append('}');
          }
        } finally { Marshal.FreeHGlobal(table); }
      }
      return rows.Append(']').ToString();
    }

    // ---- job objects: the service's process is in its job before its first instruction
    const uint JOB_OBJECT_QUERY = 0x4, JOB_OBJECT_TERMINATE = 0x8, JOB_OBJECT_ALL_ACCESS = 0x1F001F;
    const int JobObjectBasicProcessIdList = 3, ERROR_FILE_NOT_FOUND = 2, ERROR_MORE_DATA = 234;
    static readonly Dictionary<string, IntPtr> Jobs = new Dictionary<string, IntPtr>();

    [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode)] static extern IntPtr CreateJobObjectW(IntPtr attributes, string name);
    [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode)] static extern IntPtr OpenJobObjectW(uint access, bool inherit, string name);
    [DllImport("kernel32.dll", SetLastError = true)] static extern bool AssignProcessToJobObject(IntPtr job, IntPtr process);
    [DllImport("kernel32.dll", SetLastError = true)] static extern bool TerminateJobObject(IntPtr job, uint exitCode);
    [DllImport("kernel32.dll", SetLastError = true)] static extern bool QueryInformationJobObject(IntPtr job, int infoClass, IntPtr info, int length, out int returned);

    // Made with no limits: no JOB_OBJECT_LIMIT_BREAKAWAY_OK (a member cannot leave it) and
    // no KILL_ON_JOB_CLOSE (the services outlive this sampler and evident). Kept open here.
    static IntPtr JobNamed(string name) {
      IntPtr job;
      if (Jobs.TryGetValue(name, out job)) return job;
      job = CreateJobObjectW(IntPtr.Zero, name);
      if (job == IntPtr.Zero) throw new Exception(Win32Failure("CreateJobObject(" + name + ")"));
      Jobs[name] = job;
      return job;
    }

    public static string JobMembers(string name) {
      IntPtr job = OpenJobObjectW(JOB_OBJECT_QUERY, false, name);
      if (job == IntPtr.Zero) {
        if (Marshal.GetLastWin32Error() == ERROR_FILE_NOT_FOUND) return "{\"exists\":false,\"pids\":[]}";
        throw new Exception(Win32Failure("OpenJobObject(" + name + ")"));
      }
      try {
        int size = 4096;
        for (int attempt = 0; attempt < 6; attempt++) {
          IntPtr info = Marshal.AllocHGlobal(size);
          try {
            int returned;
            if (!QueryInformationJobObject(job, JobObjectBasicProcessIdList, info, size, out returned)) {
              if (Marshal.GetLastWin32Error() == ERROR_MORE_DATA) { size *= 4; continue; }
              throw new Exception(Win32Failure("QueryInformationJobObject(" + name + ")"));
            }
            int assigned = Marshal.ReadInt32(info, 0), listed = Marshal.ReadInt32(info, 4);
            if (listed < assigned) { size *= 4; continue; }
            var rows = new StringBuilder("{\"exists\":true,\"pids\":[");
            for (int i = 0; i < listed; i++) {
              if (i > 0) rows.Append(',');
              rows.Append(Marshal.ReadIntPtr(info, 8 + i * IntPtr.Size).ToInt64());
            }
            return rows.Append("]}").ToString();
          } finally { Marshal.FreeHGlobal(info); }
        }
        throw new Exception("QueryInformationJobObject(" + name + "): the list kept growing");
      } finally { CloseHandle(job); }
    }

    public static string Terminate(string name) {
      IntPtr job = OpenJobObjectW(JOB_OBJECT_TERMINATE, false, name);
      if (job == IntPtr.Zero) {
        if (Marshal.GetLastWin32Error() == ERROR_FILE_NOT_FOUND) return "{\"terminated\":false}";
        throw new Exception(Win32Failure("OpenJobObject(" + name + ")"));
      }
      try {
        if (!TerminateJobObject(job, 1)) throw new Exception(Win32Failure("TerminateJobObject(" + name + ")"));
        return "{\"terminated\":true}";
      } finally { CloseHandle(job); }
    }

    // ---- starting a service: suspended, in its job, with a hidden console of its own
    const uint CREATE_SUSPENDED = 0x4, CREATE_NEW_PROCESS_GROUP = 0x200, CREATE_UNICODE_ENVIRONMENT = 0x400;
    const uint EXTENDED_STARTUPINFO_PRESENT = 0x80000, CREATE_BREAKAWAY_FROM_JOB = 0x01000000, CREATE_NO_WINDOW = 0x08000000;
    const int STARTF_USESTDHANDLES = 0x100, ERROR_ACCESS_DENIED = 5;
    static readonly IntPtr PROC_THREAD_ATTRIBUTE_HANDLE_LIST = new IntPtr(0x20002);
    const uint FILE_APPEND_DATA = 0x4, GENERIC_READ = 0x80000000, FILE_SHARE_ALL = 0x7, OPEN_ALWAYS = 4, OPEN_EXISTING = 3;

    [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
    struct STARTUPINFO {
      public int cb; public string lpReserved; public string lpDesktop; public string lpTitle;
      public int dwX, dwY, dwXSize, dwYSize, dwXCountChars, dwYCountChars, dwFillAttribute, dwFlags;
      public short wShowWindow, cbReserved2; public IntPtr lpReserved2, hStdInput, hStdOutput, hStdError;
    }
    [StructLayout(LayoutKind.Sequential)] struct STARTUPINFOEX { public STARTUPINFO StartupInfo; public IntPtr lpAttributeList; }
    [StructLayout(LayoutKind.Sequential)] struct PROCESS_INFORMATION { public IntPtr hProcess, hThread; public int dwProcessId, dwThreadId; }
    [StructLayout(LayoutKind.Sequential)] struct SECURITY_ATTRIBUTES { public int nLength; public IntPtr lpSecurityDescriptor; public bool bInheritHandle; }

    [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
    static extern bool CreateProcessW(string application, StringBuilder commandLine, IntPtr processAttributes, IntPtr threadAttributes, bool inheritHandles, uint flags, IntPtr environment, string cwd, ref STARTUPINFOEX startup, out PROCESS_INFORMATION info);
    [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
    static extern IntPtr CreateFileW(string name, uint access, uint share, ref SECURITY_ATTRIBUTES security, uint disposition, uint flags, IntPtr template);
    [DllImport("kernel32.dll", SetLastError = true)] static extern bool InitializeProcThreadAttributeList(IntPtr list, int count, int flags, ref IntPtr size);
    [DllImport("kernel32.dll", SetLastError = true)] static extern bool UpdateProcThreadAttribute(IntPtr list, uint flags, IntPtr attribute, IntPtr value, IntPtr size, IntPtr previous, IntPtr returned);
    [DllImport("kernel32.dll")] static extern void DeleteProcThreadAttributeList(IntPtr list);
    [DllImport("kernel32.dll", SetLastError = true)] static extern uint ResumeThread(IntPtr thread);
    [DllImport("kernel32.dll", SetLastError = true)] static extern bool TerminateProcess(IntPtr process, uint code);

    static IntPtr Inheritable(string path, uint access, uint disposition) {
      var security = new SECURITY_ATTRIBUTES { nLength = Marshal.SizeOf(typeof(SECURITY_ATTRIBUTES)), bInheritHandle = true };
      IntPtr handle = CreateFileW(path, access, FILE_SHARE_ALL, ref security, disposition, 0x80, IntPtr.Zero);
      if (handle == new IntPtr(-1)) throw new Exception(Win32Failure("CreateFile(" + path + ")"));
      return handle;
    }

    /** The environment block: NAME=value entries sorted as Windows wants them, each NUL-ended, then a NUL. */
    static string EnvironmentBlock(string[] entries) {
      var sorted = new List<string>(entries);
      sorted.Sort((a, b) => string.Compare(a.Split('=')[0], b.Split('=')[0], StringComparison.OrdinalIgnoreCase));
      var block = new StringBuilder();
      foreach (string entry in sorted) block.Append(entry).Append('\0');
      return block.Append('\0').ToString();
    }

    public static string Launch(string job, string application, string commandLine, string cwd, string[] environment, string log) {
      IntPtr jobHandle = JobNamed(job);
      IntPtr output = Inheritable(log, FILE_APPEND_DATA | SYNCHRONIZE, OPEN_ALWAYS);
      IntPtr input = IntPtr.Zero, attributes = IntPtr.Zero, handles = IntPtr.Zero, envBlock = IntPtr.Zero;
      try {
        input = Inheritable("NUL", GENERIC_READ, OPEN_EXISTING);
        // Only these two handles are inherited (not this sampler's own pipes to evident).
        handles = Marshal.AllocHGlobal(2 * IntPtr.Size);
        Marshal.WriteIntPtr(handles, 0, input);
        Marshal.WriteIntPtr(handles, IntPtr.Size, output);
        IntPtr size = IntPtr.Zero;
        InitializeProcThreadAttributeList(IntPtr.Zero, 1, 0, ref size);
        attributes = Marshal.AllocHGlobal(size);
        if (!InitializeProcThreadAttributeList(attributes, 1, 0, ref size)) throw new Exception(Win32Failure("InitializeProcThreadAttributeList"));
        if (!UpdateProcThreadAttribute(attributes, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, handles, new IntPtr(2 * IntPtr.Size), IntPtr.Zero, IntPtr.Zero)) throw new Exception(Win32Failure("UpdateProcThreadAttribute"));
        var startup = new STARTUPINFOEX();
        startup.StartupInfo.cb = Marshal.SizeOf(typeof(STARTUPINFOEX));
        startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
        startup.StartupInfo.hStdInput = input;
        startup.StartupInfo.hStdOutput = output;
        startup.StartupInfo.hStdError = output;
        startup.lpAttributeList = attributes;
        envBlock = Marshal.StringToHGlobalUni(EnvironmentBlock(environment));
        uint flags = CREATE_SUSPENDED | CREATE_NEW_PROCESS_GROUP | CREATE_NO_WINDOW | CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT;
        PROCESS_INFORMATION info;
        // Out of whatever job evident itself runs in (a terminal's, a CI runner's), so the
        // service's own job is its only one; where that job forbids it, the service's job nests inside.
        bool started = CreateProcessW(application, new StringBuilder(commandLine), IntPtr.Zero, IntPtr.Zero, true, flags | CREATE_BREAKAWAY_FROM_JOB, envBlock, cwd, ref startup, out info);
        if (!started && Marshal.GetLastWin32Error() == ERROR_ACCESS_DENIED) {
          started = CreateProcessW(application, new StringBuilder(commandLine), IntPtr.Zero, IntPtr.Zero, true, flags, envBlock, cwd, ref startup, out info);
        }
        if (!started) throw new Exception(Win32Failure("CreateProcess(" + application + ")"));
        if (!AssignProcessToJobObject(jobHandle, info.hProcess)) {
          string why = Win32Failure("AssignProcessToJobObject(" + job + ")");
          TerminateProcess(info.hProcess, 1);
          CloseHandle(info.hThread); CloseHandle(info.hProcess);
          throw new Exception(why);
        }
        ResumeThread(info.hThread);
        CloseHandle(info.hThread);
        long created = CreationTime(info.hProcess);
        WatchHandle(info.hProcess, info.dwProcessId, created);
        return "{\"pid\":" + info.dwProcessId + ",\"created\":" + FileTime(created) + "}";
      } finally {
        CloseHandle(output);
        if (input != IntPtr.Zero) CloseHandle(input);
        if (attributes != IntPtr.Zero) { DeleteProcThreadAttributeList(attributes); Marshal.FreeHGlobal(attributes); }
        if (handles != IntPtr.Zero) Marshal.FreeHGlobal(handles);
        if (envBlock != IntPtr.Zero) Marshal.FreeHGlobal(envBlock);
      }
    }

    // ---- exits: a wait on the process handle (no polling); the event is pushed when it ends
    class ProcessWait : WaitHandle {
      public ProcessWait(IntPtr process) { SafeWaitHandle = new SafeWaitHandle(process, true); }
    }

    static void WatchHandle(IntPtr process, int pid, long created) {
      var wait = new ProcessWait(process);
      ThreadPool.RegisterWaitForSingleObject(wait, (state, timedOut) => {
        uint code;
        string exitCode = GetExitCodeProcess(process, out code) ? ((int)code).ToString() : "null";
        Send("{\"event\":\"exit\",\"pid\":" + pid + ",\"created\":" + FileTime(created) + ",\"code\":" + exitCode + "}");
        wait.Dispose();
      }, null, -1, true);
    }

    public static string Watch(int pid, string created) {
      IntPtr process = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, false, pid);
      long expected = long.Parse(created);
      if (process == IntPtr.Zero || CreationTime(process) != expected) {
        // Gone already, or its pid is another process's now: it has ended.
        if (process != IntPtr.Zero) CloseHandle(process);
        Send("{\"event\":\"exit\",\"pid\":" + pid + ",\"created\":" + Quote(created) + ",\"code\":null}");
        return "true";
      }
      WatchHandle(process, pid, expected);
      return "true";
    }

    // ---- the graceful stop: CTRL_BREAK to the service's process group, through its console
    const uint CTRL_BREAK_EVENT = 1;
    [DllImport("kernel32.dll", SetLastError = true)] static extern bool AttachConsole(int pid);
    [DllImport("kernel32.dll", SetLastError = true)] static extern bool FreeConsole();
    [DllImport("kernel32.dll", SetLastError = true)] static extern bool SetConsoleCtrlHandler(IntPtr handler, bool add);
    [DllImport("kernel32.dll", SetLastError = true)] static extern bool GenerateConsoleCtrlEvent(uint ctrlEvent, int group);

    public static string Break(int pid) {
      FreeConsole();
      if (!AttachConsole(pid)) return "{\"delivered\":false,\"error\":" + Quote(Win32Failure("AttachConsole(" + pid + ")")) + "}";
      try {
        // This sampler is in no group the break is sent to; ignoring Ctrl+C keeps it safe all the same.
        SetConsoleCtrlHandler(IntPtr.Zero, true);
        if (!GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, pid)) return "{\"delivered\":false,\"error\":" + Quote(Win32Failure("GenerateConsoleCtrlEvent(CTRL_BREAK, " + pid + ")")) + "}";
        return "{\"delivered\":true,\"error\":null}";
      } finally { FreeConsole(); }
    }
  }
}
`;
