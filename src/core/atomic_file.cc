#include "core/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace mg {
namespace {

namespace fs = std::filesystem;

std::string Reason(int error) { return std::strerror(error); }

// True when no process `pid` exists. EPERM means it exists under another user: keep its file.
bool ProcessIsGone(long pid) {
  if (pid <= 0 || pid == static_cast<long>(::getpid())) return false;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

// Writes all of `text` to `fd`; returns 0 or the errno of the failing write.
int WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

// A path that cannot be renamed over (a device, a pipe): written in place, as `>` would.
Status WriteInPlace(const std::string& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return IoError(path + ": cannot write: " + Reason(errno));
  const int error = WriteAll(fd, text);
  ::close(fd);
  if (error != 0) return IoError(path + ": cannot write: " + Reason(error));
  return {};
}

// Makes the rename of an entry of `dir` durable.
Status SyncDirectory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return IoError(dir.string() + ": cannot open the folder to sync it: " + Reason(errno));
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  // Some file systems cannot sync a folder (EINVAL); there is nothing more to do on them.
  if (rc != 0 && error != EINVAL) {
    return IoError(dir.string() + ": cannot sync the folder: " + Reason(error));
  }
  return {};
}

}  // namespace

Status CreatePrivateDirectories(const std::string& dir) {
  if (dir.empty()) return {};
  // Walk down from the root so every folder we create gets 0700 itself (create_directories
  // would use 0777 less the umask).
  fs::path so_far;
  for (const fs::path& part : fs::path(dir)) {
    so_far /= part;
    if (::mkdir(so_far.c_str(), 0700) == 0 || errno == EEXIST) continue;
    const int error = errno;
    std::error_code ec;
    if (fs::is_directory(so_far, ec)) continue;  // e.g. EACCES on "/" or "/home".
    return IoError(so_far.string() + ": cannot create folder: " + Reason(error));
  }
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return IoError(dir + ": exists and is not a folder");
  return {};
}

int RemoveStaleTemporaries(const std::string& path) {
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string prefix = target.filename().string() + ".tmp.";
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const std::string_view digits = std::string_view(name).substr(prefix.size());
    long pid = 0;
    const auto [end, parse_error] =
        std::from_chars(digits.data(), digits.data() + digits.size(), pid);
    if (parse_error != std::errc() || end != digits.data() + digits.size()) continue;
    std::error_code ignored;
    if (ProcessIsGone(pid) && fs::remove(entry.path(), ignored)) ++removed;
  }
  return removed;
}

Status WriteFileAtomically(const std::string& path, std::string_view text, FileAccess access) {
  std::error_code ec;
  fs::path target(path);
  if (fs::is_symlink(target, ec)) {
    target = fs::canonical(target, ec);
    if (ec) return IoError(path + ": cannot follow the link: " + ec.message());
  }
  const auto status = fs::status(target, ec);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    if (fs::is_directory(status)) return IoError(path + ": is a folder, not a file");
    return WriteInPlace(target.string(), text);
  }
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  MG_RETURN_IF_ERROR(CreatePrivateDirectories(dir.string()));
  RemoveStaleTemporaries(target.string());

  const std::string temp = target.string() + ".tmp." + std::to_string(::getpid());
  const mode_t mode = access == FileAccess::kPrivate ? 0600 : 0644;
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return IoError(path + ": cannot write (creating " + temp + "): " + Reason(errno));
  int error = WriteAll(fd, text);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temp.c_str(), target.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temp.c_str());
    return IoError(path + ": cannot write: " + Reason(error) + "; the old file is unchanged");
  }
  return SyncDirectory(dir);
}

}  // namespace mg
