//! A disk that forgets what was not synced, for power-cut tests.
//!
//! A SIGKILL is not a power cut: the kernel still writes out everything the process wrote.
//! [`LazyDisk`] is a file system in memory, mounted with FUSE, that keeps apart what a program
//! wrote and what it made durable, as Jepsen's LazyFS does: a file's contents become durable
//! when the file is `fsync`ed, a folder's entries (a new file, a rename, a removal) when the
//! folder is. [`LazyDisk::cut_after`] arms a cut at the n-th change; from that change on every
//! change fails, and [`LazyDisk::power_cut`] then throws away all that was not durable, as a
//! machine that lost power comes back. Each mount is a boot: the kernel caches nothing across
//! one, so what a program reads after [`LazyDisk::mount`] is what the disk kept.
//!
//! It is strict where real disks are lenient (ext4 often keeps a new file's name after only the
//! file is synced): whatever survives here survives on any file system that keeps the POSIX
//! promises.

use std::collections::{BTreeMap, HashMap};
use std::ffi::{OsStr, OsString};
use std::io;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use fuser::{
    FileAttr, FileType, Filesystem, MountOption, ReplyAttr, ReplyCreate, ReplyData, ReplyDirectory,
    ReplyEmpty, ReplyEntry, ReplyOpen, ReplyStatfs, ReplyWrite, Request, TimeOrNow, FUSE_ROOT_ID,
};

// The kernel asks again for every name and attribute: after a cut nothing it remembered holds.
const TTL: Duration = Duration::ZERO;
const EIO: i32 = 5;
const ENOENT: i32 = 2;
const EEXIST: i32 = 17;
const ENOTDIR: i32 = 20;
const EISDIR: i32 = 21;
const ENOTEMPTY: i32 = 39;
const EROFS: i32 = 30;
const ENOSPC: i32 = 28;

enum Body {
    File {
        data: Vec<u8>,
        synced: Vec<u8>,
    },
    Dir {
        entries: BTreeMap<OsString, u64>,
        synced: BTreeMap<OsString, u64>,
    },
}

struct Node {
    perm: u16,
    mtime: SystemTime,
    body: Body,
}

/// A fault the disk answers with instead of doing what it is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Every `fsync` fails with EIO, and nothing it would have made durable is (a disk that
    /// reports a failed flush).
    FsyncFails,
    /// Every change is refused with EROFS (a file system remounted read-only after an error).
    ReadOnly,
    /// No space left: a write that would grow a file, and every new file or folder, fails with
    /// ENOSPC; rewriting bytes a file already has still works, as on a real full disk.
    Full,
}

struct State {
    nodes: HashMap<u64, Node>,
    next_ino: u64,
    uid: u32,
    gid: u32,
    /// Changes asked for so far (writes, syncs, creations, renames, removals).
    changes: u64,
    cut_at: Option<u64>,
    cut: bool,
    fault: Option<Fault>,
    /// The mount that may answer: a request from an earlier boot's mount is refused.
    boot: u64,
}

impl State {
    /// Counts a change and says whether it may happen: not at or after an armed cut.
    fn may_change(&mut self) -> bool {
        if self.cut {
            return false;
        }
        self.changes += 1;
        if self.cut_at == Some(self.changes) {
            self.cut = true;
            return false;
        }
        true
    }

    fn attr(&self, ino: u64) -> Option<FileAttr> {
        let node = self.nodes.get(&ino)?;
        let (kind, size, nlink) = match &node.body {
            Body::File { data, .. } => (FileType::RegularFile, data.len() as u64, 1),
            Body::Dir { .. } => (FileType::Directory, 4096, 2),
        };
        Some(FileAttr {
            ino,
            size,
            blocks: size.div_ceil(512),
            atime: node.mtime,
            mtime: node.mtime,
            ctime: node.mtime,
            crtime: node.mtime,
            kind,
            perm: node.perm,
            nlink,
            uid: self.uid,
            gid: self.gid,
            rdev: 0,
            blksize: 4096,
            flags: 0,
        })
    }

    fn entries(&self, dir: u64) -> Result<&BTreeMap<OsString, u64>, i32> {
        match self.nodes.get(&dir).map(|n| &n.body) {
            Some(Body::Dir { entries, .. }) => Ok(entries),
            Some(_) => Err(ENOTDIR),
            None => Err(ENOENT),
        }
    }

    fn entries_mut(&mut self, dir: u64) -> Result<&mut BTreeMap<OsString, u64>, i32> {
        match self.nodes.get_mut(&dir).map(|n| &mut n.body) {
            Some(Body::Dir { entries, .. }) => Ok(entries),
            Some(_) => Err(ENOTDIR),
            None => Err(ENOENT),
        }
    }

    fn make(&mut self, parent: u64, name: &OsStr, perm: u16, dir: bool) -> Result<u64, i32> {
        if self.entries(parent)?.contains_key(name) {
            return Err(EEXIST);
        }
        if self.fault == Some(Fault::Full) {
            return Err(ENOSPC);
        }
        let ino = self.next_ino;
        self.next_ino += 1;
        let body = if dir {
            Body::Dir {
                entries: BTreeMap::new(),
                synced: BTreeMap::new(),
            }
        } else {
            Body::File {
                data: Vec::new(),
                synced: Vec::new(),
            }
        };
        self.nodes.insert(
            ino,
            Node {
                perm,
                mtime: SystemTime::now(),
                body,
            },
        );
        self.entries_mut(parent)?.insert(name.to_owned(), ino);
        Ok(ino)
    }

    fn is_empty_dir(&self, ino: u64) -> bool {
        self.entries(ino).is_ok_and(|e| e.is_empty())
    }
}

/// The disk. Clones share it: the test keeps one, each mount another.
#[derive(Clone)]
pub struct LazyDisk {
    shared: Arc<(Mutex<State>, Condvar)>,
}

impl Default for LazyDisk {
    fn default() -> Self {
        Self::new()
    }
}

impl LazyDisk {
    /// An empty disk: one root folder, owned by this process's user.
    pub fn new() -> LazyDisk {
        let mut nodes = HashMap::new();
        nodes.insert(
            FUSE_ROOT_ID,
            Node {
                perm: 0o755,
                mtime: SystemTime::now(),
                body: Body::Dir {
                    entries: BTreeMap::new(),
                    synced: BTreeMap::new(),
                },
            },
        );
        let (uid, gid) = {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata("/proc/self").map_or((0, 0), |m| (m.uid(), m.gid()))
        };
        LazyDisk {
            shared: Arc::new((
                Mutex::new(State {
                    nodes,
                    next_ino: FUSE_ROOT_ID + 1,
                    uid,
                    gid,
                    changes: 0,
                    cut_at: None,
                    cut: false,
                    fault: None,
                    boot: 0,
                }),
                Condvar::new(),
            )),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.shared.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Mounts the disk at `at` (an empty folder): a new boot. Unmounted when the returned
    /// value is dropped. Needs `/dev/fuse` and either root or `fusermount3`.
    pub fn mount(&self, at: &Path) -> io::Result<Mounted> {
        let boot = {
            let mut state = self.state();
            state.boot += 1;
            state.boot
        };
        let fs = Session {
            disk: self.clone(),
            boot,
        };
        let session = fuser::spawn_mount2(
            fs,
            at,
            &[
                MountOption::FSName("rapport-lazy-disk".into()),
                MountOption::NoAtime,
            ],
        )?;
        Ok(Mounted {
            _session: session,
            disk: self.clone(),
        })
    }

    /// Arms a cut: the `n`-th change from now, and every one after it, fails, as if the power
    /// went at that moment. See [`LazyDisk::wait_for_cut`].
    pub fn cut_after(&self, n: u64) {
        let mut state = self.state();
        state.cut_at = Some(state.changes + n.max(1));
    }

    /// Waits until the armed cut has happened, up to `deadline`, looking at `still_going` now
    /// and then (a program that stopped will never reach it). Returns whether it happened.
    pub fn wait_for_cut(&self, deadline: Duration, mut still_going: impl FnMut() -> bool) -> bool {
        let end = Instant::now() + deadline;
        let mut state = self.state();
        while !state.cut {
            let now = Instant::now();
            if now >= end || !still_going() {
                return state.cut;
            }
            let wait = (end - now).min(Duration::from_millis(50));
            state = self
                .shared
                .1
                .wait_timeout(state, wait)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        true
    }

    /// The power comes back: every file holds what was last synced of it, every folder the
    /// entries it had when last synced, and changes are allowed again. Call it with the disk
    /// unmounted (and every program that wrote to it stopped).
    pub fn power_cut(&self) {
        let mut state = self.state();
        for node in state.nodes.values_mut() {
            match &mut node.body {
                Body::File { data, synced } => data.clone_from(synced),
                Body::Dir { entries, synced } => entries.clone_from(synced),
            }
        }
        state.cut = false;
        state.cut_at = None;
    }

    /// How many changes have been asked of the disk so far.
    pub fn changes(&self) -> u64 {
        self.state().changes
    }

    /// Makes the disk answer with `fault` from now on (`None`: work again).
    pub fn set_fault(&self, fault: Option<Fault>) {
        self.state().fault = fault;
    }
}

/// A mounted [`LazyDisk`]; unmounts when dropped.
pub struct Mounted {
    _session: fuser::BackgroundSession,
    disk: LazyDisk,
}

impl Mounted {
    /// The disk mounted.
    pub fn disk(&self) -> &LazyDisk {
        &self.disk
    }
}

/// One mount's view of the disk, as the kernel talks to it.
struct Session {
    disk: LazyDisk,
    boot: u64,
}

impl Session {
    /// The disk's state, or EIO for a request that reaches an earlier boot's mount.
    fn state(&self) -> Result<MutexGuard<'_, State>, i32> {
        let state = self.disk.state();
        if state.boot != self.boot {
            return Err(EIO);
        }
        Ok(state)
    }

    /// The state for a change, counted; EIO once the cut came, EROFS on a read-only disk.
    fn change(&self) -> Result<MutexGuard<'_, State>, i32> {
        let mut state = self.state()?;
        if state.fault == Some(Fault::ReadOnly) {
            return Err(EROFS);
        }
        let allowed = state.may_change();
        if state.cut {
            self.disk.shared.1.notify_all();
        }
        if !allowed {
            return Err(EIO);
        }
        Ok(state)
    }

    fn reply_entry(&self, ino: Result<u64, i32>, reply: ReplyEntry) {
        let attr = ino.and_then(|ino| self.state()?.attr(ino).ok_or(ENOENT));
        match attr {
            Ok(attr) => reply.entry(&TTL, &attr, 0),
            Err(e) => reply.error(e),
        }
    }
}

fn done(reply: ReplyEmpty, result: Result<(), i32>) {
    match result {
        Ok(()) => reply.ok(),
        Err(e) => reply.error(e),
    }
}

impl Filesystem for Session {
    fn lookup(&mut self, _req: &Request<'_>, parent: u64, name: &OsStr, reply: ReplyEntry) {
        let ino = self
            .state()
            .and_then(|s| s.entries(parent)?.get(name).copied().ok_or(ENOENT));
        self.reply_entry(ino, reply);
    }

    fn getattr(&mut self, _req: &Request<'_>, ino: u64, _fh: Option<u64>, reply: ReplyAttr) {
        match self.state().and_then(|s| s.attr(ino).ok_or(ENOENT)) {
            Ok(attr) => reply.attr(&TTL, &attr),
            Err(e) => reply.error(e),
        }
    }

    fn setattr(
        &mut self,
        _req: &Request<'_>,
        ino: u64,
        mode: Option<u32>,
        _uid: Option<u32>,
        _gid: Option<u32>,
        size: Option<u64>,
        _atime: Option<TimeOrNow>,
        _mtime: Option<TimeOrNow>,
        _ctime: Option<SystemTime>,
        _fh: Option<u64>,
        _crtime: Option<SystemTime>,
        _chgtime: Option<SystemTime>,
        _bkuptime: Option<SystemTime>,
        _flags: Option<u32>,
        reply: ReplyAttr,
    ) {
        let result = (|| {
            let mut state = if size.is_some() || mode.is_some() {
                self.change()?
            } else {
                self.state()?
            };
            let full = state.fault == Some(Fault::Full);
            let node = state.nodes.get_mut(&ino).ok_or(ENOENT)?;
            if let Some(mode) = mode {
                node.perm = (mode & 0o7777) as u16;
            }
            if let Some(size) = size {
                match &mut node.body {
                    Body::File { data, .. } if full && size as usize > data.len() => {
                        return Err(ENOSPC)
                    }
                    Body::File { data, .. } => data.resize(size as usize, 0),
                    Body::Dir { .. } => return Err(EISDIR),
                }
                node.mtime = SystemTime::now();
            }
            state.attr(ino).ok_or(ENOENT)
        })();
        match result {
            Ok(attr) => reply.attr(&TTL, &attr),
            Err(e) => reply.error(e),
        }
    }

    fn mknod(
        &mut self,
        _req: &Request<'_>,
        parent: u64,
        name: &OsStr,
        mode: u32,
        umask: u32,
        _rdev: u32,
        reply: ReplyEntry,
    ) {
        let ino = self
            .change()
            .and_then(|mut s| s.make(parent, name, (mode & !umask & 0o7777) as u16, false));
        self.reply_entry(ino, reply);
    }

    fn mkdir(
        &mut self,
        _req: &Request<'_>,
        parent: u64,
        name: &OsStr,
        mode: u32,
        umask: u32,
        reply: ReplyEntry,
    ) {
        let ino = self
            .change()
            .and_then(|mut s| s.make(parent, name, (mode & !umask & 0o7777) as u16, true));
        self.reply_entry(ino, reply);
    }

    fn unlink(&mut self, _req: &Request<'_>, parent: u64, name: &OsStr, reply: ReplyEmpty) {
        // The node itself stays: a program may still have it open, and the last synced state
        // of its folder may still name it.
        let result = self.change().and_then(|mut s| {
            s.entries_mut(parent)?.remove(name).ok_or(ENOENT)?;
            Ok(())
        });
        done(reply, result);
    }

    fn rmdir(&mut self, _req: &Request<'_>, parent: u64, name: &OsStr, reply: ReplyEmpty) {
        let result = self.change().and_then(|mut s| {
            let ino = *s.entries(parent)?.get(name).ok_or(ENOENT)?;
            if !s.is_empty_dir(ino) {
                return Err(ENOTEMPTY);
            }
            s.entries_mut(parent)?.remove(name);
            Ok(())
        });
        done(reply, result);
    }

    fn rename(
        &mut self,
        _req: &Request<'_>,
        parent: u64,
        name: &OsStr,
        newparent: u64,
        newname: &OsStr,
        _flags: u32,
        reply: ReplyEmpty,
    ) {
        let result = self.change().and_then(|mut s| {
            let ino = *s.entries(parent)?.get(name).ok_or(ENOENT)?;
            if let Some(&there) = s.entries(newparent)?.get(newname) {
                if !matches!(s.nodes[&there].body, Body::File { .. }) && !s.is_empty_dir(there) {
                    return Err(ENOTEMPTY);
                }
            }
            s.entries_mut(parent)?.remove(name);
            s.entries_mut(newparent)?.insert(newname.to_owned(), ino);
            Ok(())
        });
        done(reply, result);
    }

    fn link(
        &mut self,
        _req: &Request<'_>,
        ino: u64,
        newparent: u64,
        newname: &OsStr,
        reply: ReplyEntry,
    ) {
        let linked = self.change().and_then(|mut s| {
            if s.entries(newparent)?.contains_key(newname) {
                return Err(EEXIST);
            }
            s.entries_mut(newparent)?.insert(newname.to_owned(), ino);
            Ok(ino)
        });
        self.reply_entry(linked, reply);
    }

    fn open(&mut self, _req: &Request<'_>, _ino: u64, _flags: i32, reply: ReplyOpen) {
        reply.opened(0, 0);
    }

    fn read(
        &mut self,
        _req: &Request<'_>,
        ino: u64,
        _fh: u64,
        offset: i64,
        size: u32,
        _flags: i32,
        _lock_owner: Option<u64>,
        reply: ReplyData,
    ) {
        let state = match self.state() {
            Ok(state) => state,
            Err(e) => return reply.error(e),
        };
        match state.nodes.get(&ino).map(|n| &n.body) {
            Some(Body::File { data, .. }) => {
                let start = (offset.max(0) as usize).min(data.len());
                let end = (start + size as usize).min(data.len());
                reply.data(&data[start..end]);
            }
            Some(Body::Dir { .. }) => reply.error(EISDIR),
            None => reply.error(ENOENT),
        }
    }

    fn write(
        &mut self,
        _req: &Request<'_>,
        ino: u64,
        _fh: u64,
        offset: i64,
        bytes: &[u8],
        _write_flags: u32,
        _flags: i32,
        _lock_owner: Option<u64>,
        reply: ReplyWrite,
    ) {
        let result = self.change().and_then(|mut s| {
            let full = s.fault == Some(Fault::Full);
            let node = s.nodes.get_mut(&ino).ok_or(ENOENT)?;
            let Body::File { data, .. } = &mut node.body else {
                return Err(EISDIR);
            };
            let start = offset.max(0) as usize;
            if data.len() < start + bytes.len() {
                if full {
                    return Err(ENOSPC);
                }
                data.resize(start + bytes.len(), 0);
            }
            data[start..start + bytes.len()].copy_from_slice(bytes);
            node.mtime = SystemTime::now();
            Ok(bytes.len() as u32)
        });
        match result {
            Ok(n) => reply.written(n),
            Err(e) => reply.error(e),
        }
    }

    fn flush(&mut self, _req: &Request<'_>, _ino: u64, _fh: u64, _owner: u64, reply: ReplyEmpty) {
        reply.ok();
    }

    fn fsync(&mut self, _req: &Request<'_>, ino: u64, _fh: u64, _data: bool, reply: ReplyEmpty) {
        let result = self.change().and_then(|mut s| {
            if s.fault == Some(Fault::FsyncFails) {
                return Err(EIO);
            }
            match &mut s.nodes.get_mut(&ino).ok_or(ENOENT)?.body {
                Body::File { data, synced } => synced.clone_from(data),
                Body::Dir { entries, synced } => synced.clone_from(entries),
            }
            Ok(())
        });
        done(reply, result);
    }

    fn opendir(&mut self, _req: &Request<'_>, _ino: u64, _flags: i32, reply: ReplyOpen) {
        reply.opened(0, 0);
    }

    fn readdir(
        &mut self,
        _req: &Request<'_>,
        ino: u64,
        _fh: u64,
        offset: i64,
        mut reply: ReplyDirectory,
    ) {
        let state = match self.state() {
            Ok(state) => state,
            Err(e) => return reply.error(e),
        };
        let entries = match state.entries(ino) {
            Ok(entries) => entries,
            Err(e) => return reply.error(e),
        };
        let listed = [
            (ino, FileType::Directory, OsStr::new(".")),
            (ino, FileType::Directory, OsStr::new("..")),
        ]
        .into_iter()
        .chain(entries.iter().map(|(name, &child)| {
            let kind = match state.nodes.get(&child).map(|n| &n.body) {
                Some(Body::Dir { .. }) => FileType::Directory,
                _ => FileType::RegularFile,
            };
            (child, kind, name.as_os_str())
        }));
        for (i, (child, kind, name)) in listed.enumerate().skip(offset.max(0) as usize) {
            if reply.add(child, i as i64 + 1, kind, name) {
                break;
            }
        }
        reply.ok();
    }

    fn fsyncdir(&mut self, req: &Request<'_>, ino: u64, fh: u64, data: bool, reply: ReplyEmpty) {
        self.fsync(req, ino, fh, data, reply);
    }

    fn statfs(&mut self, _req: &Request<'_>, _ino: u64, reply: ReplyStatfs) {
        reply.statfs(1 << 20, 1 << 19, 1 << 19, 1 << 20, 1 << 19, 4096, 255, 4096);
    }

    fn access(&mut self, _req: &Request<'_>, _ino: u64, _mask: i32, reply: ReplyEmpty) {
        reply.ok();
    }

    fn create(
        &mut self,
        _req: &Request<'_>,
        parent: u64,
        name: &OsStr,
        mode: u32,
        umask: u32,
        _flags: i32,
        reply: ReplyCreate,
    ) {
        let made = self.change().and_then(|mut s| {
            let ino = s.make(parent, name, (mode & !umask & 0o7777) as u16, false)?;
            s.attr(ino).ok_or(ENOENT)
        });
        match made {
            Ok(attr) => reply.created(&TTL, &attr, 0, 0, 0),
            Err(e) => reply.error(e),
        }
    }
}
